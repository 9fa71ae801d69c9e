from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = _("搜索与匹配")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import signals
        from .roles import ensure_bureau_thesaurus_permissions

        signals.connect()
        # Any app's post_migrate: auth creates the permissions in its own handler, maybe after ours.
        post_migrate.connect(ensure_bureau_thesaurus_permissions, dispatch_uid="search.bureau_thesaurus_permissions")
