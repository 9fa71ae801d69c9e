from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账户与机构")

    def ready(self) -> None:
        from .roles import ensure_bureau_permissions

        post_migrate.connect(ensure_bureau_permissions, dispatch_uid="accounts.ensure_bureau_permissions")
