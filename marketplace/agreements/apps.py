from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "marketplace.agreements"
    label = "agreements"
    verbose_name = _("产学研合作协议与目标")

    def ready(self) -> None:
        from .roles import ensure_bureau_target_permissions

        # Not limited to this app's signal: permissions are created by auth's handler, which may run
        # after ours for the same sender; a later app's signal finds them.
        post_migrate.connect(
            ensure_bureau_target_permissions, dispatch_uid="agreements.ensure_bureau_target_permissions"
        )
