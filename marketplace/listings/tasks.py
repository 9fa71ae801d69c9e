"""Listing tasks: deadline reminders (beat) and bulk imports (the bureau's upload page)."""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext as _

from jobs.base import RecordedTask


@shared_task(base=RecordedTask, name="listings.deadline_reminders")
def deadline_reminders_task() -> int:
    from .reminders import send_deadline_reminders

    return send_deadline_reminders()


@shared_task(bind=True, base=RecordedTask, name="listings.import")
def import_listings_task(self, job_id: int, user_id: int, stored: str, publish: bool) -> None:
    """Each line is its own transaction and re-imports update by external_id, so a retry after a crash
    re-runs the file without duplicating what the first attempt saved."""
    from jobs.services import fail_job

    from .import_jobs import run_import

    try:
        run_import(job_id=job_id, user_id=user_id, stored=stored, publish=publish)
    except Exception:
        if self.request.retries >= self.max_retries:
            fail_job(job_id, message=_("导入失败，已通知平台管理员。"))
        raise
