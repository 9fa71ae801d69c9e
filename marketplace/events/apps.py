from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "marketplace.events"
    label = "events"
    verbose_name = _("对接活动")

    def ready(self) -> None:
        from .indexing import register

        register()  # upcoming and running events are searchable (search.documents)
