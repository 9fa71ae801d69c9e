from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "marketplace.alerts"
    label = "alerts"
    verbose_name = _("匹配提醒")

    def ready(self) -> None:
        from accounts.privacy.selectors import register_export_section

        from . import selectors, signals

        signals.connect()
        register_export_section("match_alerts", selectors.personal_data)
