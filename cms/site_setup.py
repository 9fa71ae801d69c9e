"""The fixed skeleton of the site: a home page with one index page per section. Idempotent."""

from urllib.parse import urlparse

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_noop
from wagtail.models import Page, Site

from marketplace.challenges.models import ChallengeIndexPage
from marketplace.core.sections import ensure_section
from marketplace.events.models import EventIndexPage
from marketplace.listings.models import AchievementIndexPage, DemandIndexPage, PilotBaseIndexPage

from .models import HomePage, NewsIndexPage, PolicyIndexPage

# The menu's order. Each section's title, slug and intro are registered by its app (marketplace.core.sections).
SECTIONS = [AchievementIndexPage, DemandIndexPage, PilotBaseIndexPage, PolicyIndexPage, NewsIndexPage,
            EventIndexPage, ChallengeIndexPage]


@transaction.atomic
def ensure_site_structure() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        title = gettext_noop("滨州技术交易公共服务平台")
        home = HomePage(title=title, slug="portal", draft_title=title,
                        intro=gettext_noop("连接高校院所科技成果与企业技术需求，服务全市产学研合作。"))
        root.add_child(instance=home)
        home.save_revision().publish()
        # Wagtail's install creates a placeholder "Welcome" page as the default site's root.
        site = Site.objects.filter(is_default_site=True).first()
        placeholder = site.root_page if site else None
        if site:
            site.root_page = home
            site.site_name = home.title
            site.save()
        else:
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                                site_name=home.title)
        if placeholder is not None and placeholder.pk != home.pk and placeholder.specific_class is Page:
            placeholder.delete()
    for model in SECTIONS:
        ensure_section(model)
    sync_site_address()
    return home


def sync_site_address() -> Site | None:
    """The default Wagtail Site's host and port follow SITE_BASE_URL (what `make run PORT=8011` exports), so
    Wagtail's own absolute links (page full URLs, admin mails) point where the site is actually served."""
    parsed = urlparse(settings.WAGTAILADMIN_BASE_URL)
    if not parsed.hostname:
        return None
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and (site.hostname, site.port) != (parsed.hostname, port):
        site.hostname, site.port = parsed.hostname, port
        site.save(update_fields=["hostname", "port"])
    return site
