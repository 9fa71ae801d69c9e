from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "marketplace.bookings"
    label = "bookings"
    verbose_name = _("中试预约")

    def ready(self) -> None:
        # The dashboard's registry lives lower down (agreements); this app adds its pilot-run table there,
        # so agreements never imports this app.
        from . import metrics  # noqa: F401
