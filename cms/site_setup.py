"""The fixed skeleton of the site: a home page with one index page per section. Idempotent."""

from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from wagtail.models import Page, Site

from marketplace.challenges.models import ChallengeIndexPage
from marketplace.events.models import EventIndexPage
from marketplace.listings.models import AchievementIndexPage, DemandIndexPage, PilotBaseIndexPage

from .models import HomePage, NewsIndexPage, PolicyIndexPage

# Titles and intros are stored in Chinese; they are marked (gettext_noop) so the English catalog holds
# their English, and templates show them through {% translate page.title %}. A title bureau staff
# rewrite in the admin is content and shows as written.
SECTIONS = [
    (AchievementIndexPage, gettext_noop("科技成果"), "achievements", gettext_noop("高校院所可转化的科技成果")),
    (DemandIndexPage, gettext_noop("技术需求"), "demands", gettext_noop("企业发布的技术难题")),
    (PilotBaseIndexPage, gettext_noop("中试基地"), "pilot-bases", gettext_noop("中试熟化与放大服务")),
    (PolicyIndexPage, gettext_noop("政策文件"), "policies", gettext_noop("科技政策")),
    (NewsIndexPage, gettext_noop("新闻动态"), "news", gettext_noop("平台与全市科技工作动态")),
    (EventIndexPage, gettext_noop("对接活动"), "events",
     gettext_noop("对接会、路演、院士专家论坛与科技助农惠民活动")),
    (ChallengeIndexPage, gettext_noop("揭榜挂帅"), "challenges",
     gettext_noop("企业张榜关键技术难题，高校院所揭榜攻关")),
]


def ensure_section(model: type[Page]) -> Page:
    """The section's index page under the home page, created and published once."""
    index = model.objects.first()
    if index is not None:
        return index
    home = HomePage.objects.first()
    if home is None:
        raise ValidationError(_("站点尚未建立首页。"))
    _model, title, slug, intro = next(section for section in SECTIONS if section[0] is model)
    index = model(title=title, slug=slug, intro=intro, show_in_menus=True)
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


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
    for model, *_text in SECTIONS:
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
