from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "marketplace.events"
    label = "events"
    verbose_name = _("对接活动")

    def ready(self) -> None:
        from django.utils.translation import gettext_noop

        from marketplace.core.sections import register_section
        from marketplace.payments.payers import register_payer

        from . import page_context  # noqa: F401  (what event pages show)
        from .indexing import register
        from .models import EventIndexPage
        from .payment_hooks import EventRegistrations

        register_payer(EventRegistrations())  # payments confirms and releases registrations through it
        register()  # upcoming and running events are searchable (search.documents)
        register_section(EventIndexPage, title=gettext_noop("对接活动"), slug="events",
                         intro=gettext_noop("对接会、路演、院士专家论坛与科技助农惠民活动"))
