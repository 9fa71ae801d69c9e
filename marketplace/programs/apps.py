from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "marketplace.programs"
    label = "programs"
    verbose_name = _("科技特派员与储备项目")

    def ready(self) -> None:
        # The dashboard's registry lives lower down (agreements); this app registers its three targets
        # there, so agreements never imports upward.
        from . import evaluations, metrics  # noqa: F401
        from .roles import ensure_bureau_program_permissions

        evaluations.register()  # badge, filter and sort on the public results list (listings.extensions)
        post_migrate.connect(ensure_bureau_program_permissions, dispatch_uid="programs.ensure_bureau_permissions")
