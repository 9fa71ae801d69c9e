from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "marketplace.events"
    label = "events"
    verbose_name = _("对接活动")

    def ready(self) -> None:
        from django.utils.translation import gettext_noop

        from marketplace.core.sections import register_section
        from marketplace.payments.services import register_webhook_handler

        from . import page_context  # noqa: F401  (what event pages show)
        from .indexing import register
        from .models import EventIndexPage
        from .services.checkout import WEBHOOK_HANDLERS

        register()  # upcoming and running events are searchable (search.documents)
        # payments sits below this app: it hands Stripe's checkout events to these handlers (its registry).
        for event_type, handler in WEBHOOK_HANDLERS.items():
            register_webhook_handler(event_type, handler)
        register_section(EventIndexPage, title=gettext_noop("对接活动"), slug="events",
                         intro=gettext_noop("对接会、路演、院士专家论坛与科技助农惠民活动"))
