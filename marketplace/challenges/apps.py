from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "marketplace.challenges"
    label = "challenges"
    verbose_name = _("揭榜挂帅")

    def ready(self) -> None:
        from django.utils.translation import gettext_noop

        from marketplace.core.sections import register_section

        from . import (
            metrics,  # noqa: F401  (registers the 科创券 subsidy target with the dashboard)
            page_context,  # noqa: F401  (what challenge pages show)
        )
        from .indexing import register
        from .models import ChallengeIndexPage

        register()  # open challenges are searchable and matched like demands (search.documents)
        register_section(ChallengeIndexPage, title=gettext_noop("揭榜挂帅"), slug="challenges",
                         intro=gettext_noop("企业张榜关键技术难题，高校院所揭榜攻关"))
