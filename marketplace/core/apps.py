from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Machinery several marketplace apps share (state machines, page placement, money, exports).
    It sits just above accounts and below every feature app, and imports none of them."""

    name = "marketplace.core"
    label = "core"
    verbose_name = _("公共组件")

    def ready(self) -> None:
        from . import cache

        cache.connect()
