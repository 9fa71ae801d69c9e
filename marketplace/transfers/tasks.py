"""Scheduled work. The Celery beat entry lives with the Celery app; this only names the task."""

from celery import shared_task

from .closing import run_due


@shared_task(name="transfers.close_due")
def close_due() -> dict[str, int]:
    return run_due()
