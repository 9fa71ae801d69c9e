"""Agreement tasks: bulk imports run in the worker; the uploader's report page polls the job."""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext as _

from jobs.base import RecordedTask
from jobs.services import fail_job


@shared_task(bind=True, base=RecordedTask, name="agreements.import")
def import_agreements_task(self, job_id: int, user_id: int, stored: str, filename: str) -> None:
    from .import_jobs import run_import

    try:
        run_import(job_id=job_id, user_id=user_id, stored=stored, filename=filename)
    except Exception:
        if self.request.retries >= self.max_retries:
            fail_job(job_id, message=_("导入失败，已通知平台管理员。"))
        raise


@shared_task(bind=True, base=RecordedTask, name="agreements.export_register")
def export_register_task(self, job_id: int, year: int | None) -> None:
    from .export_jobs import run_export

    try:
        run_export(job_id=job_id, year=year)
    except Exception:
        if self.request.retries >= self.max_retries:
            fail_job(job_id, message=_("导出失败，已通知平台管理员。"))
        raise
