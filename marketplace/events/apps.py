from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "marketplace.events"
    label = "events"
    verbose_name = _("对接活动")

    def ready(self) -> None:
        from marketplace.payments.services import register_webhook_handler

        from .indexing import register
        from .services.checkout import WEBHOOK_HANDLERS

        register()  # upcoming and running events are searchable (search.documents)
        # payments sits below this app: it hands Stripe's checkout events to these handlers (its registry).
        for event_type, handler in WEBHOOK_HANDLERS.items():
            register_webhook_handler(event_type, handler)
