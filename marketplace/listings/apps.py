from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListingsConfig(AppConfig):
    name = "marketplace.listings"
    label = "listings"
    verbose_name = _("成果、需求与中试基地")

    def ready(self) -> None:
        from django.utils.translation import gettext_noop

        from accounts.privacy.selectors import register_export_section
        from marketplace.core.sections import register_section

        from . import page_context  # noqa: F401  (the index pages' lists)
        from .models import AchievementIndexPage, DemandIndexPage, PilotBaseIndexPage
        from .selectors import listing_contacts_of

        register_export_section("listing_contacts", listing_contacts_of)
        register_section(AchievementIndexPage, title=gettext_noop("科技成果"), slug="achievements",
                         intro=gettext_noop("高校院所可转化的科技成果"))
        register_section(DemandIndexPage, title=gettext_noop("技术需求"), slug="demands",
                         intro=gettext_noop("企业发布的技术难题"))
        register_section(PilotBaseIndexPage, title=gettext_noop("中试基地"), slug="pilot-bases",
                         intro=gettext_noop("中试熟化与放大服务"))

        from marketplace.core.cache import bump_publication

        from .bulk import bulk_load_finished

        # A bulk load may publish without a page_published signal per page: public fragments are stale.
        bulk_load_finished.connect(bump_publication, dispatch_uid="listings.bulk_load_finished.cache")
