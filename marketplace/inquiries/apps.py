from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "marketplace.inquiries"
    label = "inquiries"
    verbose_name = _("在线洽谈")

    def ready(self) -> None:
        # The dashboard's registry lives lower down (agreements); this app adds its funnel tables there.
        from . import funnel  # noqa: F401
