from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("后台任务")

    def ready(self) -> None:
        from . import heartbeat  # noqa: F401  (connects the worker's heartbeat to Celery's signals)
