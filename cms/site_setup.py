"""The fixed skeleton of the site: a home page with one index page per section. Idempotent."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from marketplace.challenges.models import ChallengeIndexPage
from marketplace.events.models import EventIndexPage
from marketplace.listings.models import AchievementIndexPage, DemandIndexPage, PilotBaseIndexPage

from .models import HomePage, NewsIndexPage, PolicyIndexPage

SECTIONS = [
    (AchievementIndexPage, "科技成果", "achievements",
     "高校院所可转化的科技成果 Research results available for transfer"),
    (DemandIndexPage, "技术需求", "demands", "企业发布的技术难题 Enterprises' technical demands"),
    (PilotBaseIndexPage, "中试基地", "pilot-bases", "中试熟化与放大服务 Pilot-scale and scale-up services"),
    (PolicyIndexPage, "政策文件", "policies", "科技政策 Science and technology policies"),
    (NewsIndexPage, "新闻动态", "news", "平台与全市科技工作动态 News"),
    (EventIndexPage, "对接活动", "events", "对接会、路演、院士专家论坛与科技助农惠民活动 Matchmaking events"),
    (ChallengeIndexPage, "揭榜挂帅", "challenges",
     "企业张榜关键技术难题，高校院所揭榜攻关 Open calls: enterprises post key problems with a bounty, "
     "universities and institutes apply"),
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
        title = "滨州技术交易公共服务平台"
        home = HomePage(title=title, slug="portal", draft_title=title,
                        intro="连接高校院所科技成果与企业技术需求，服务全市产学研合作。")
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
    return home
