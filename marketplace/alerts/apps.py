from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "marketplace.alerts"
    label = "alerts"
    verbose_name = _("匹配提醒")

    def ready(self) -> None:
        from . import signals

        signals.connect()
