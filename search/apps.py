from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = _("搜索与匹配 Search & matching")

    def ready(self) -> None:
        from . import signals

        signals.connect()
