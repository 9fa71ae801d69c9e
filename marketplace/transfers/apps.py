from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "marketplace.transfers"
    label = "transfers"
    verbose_name = "挂牌交易"

    def ready(self) -> None:
        # payments sits below this app: it learns about deposit events through its handler registry.
        from marketplace.payments.webhooks import register_webhook_handler

        from . import deposits

        for event_type, handler in deposits.WEBHOOK_HANDLERS.items():
            register_webhook_handler(event_type, handler)
