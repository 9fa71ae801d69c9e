"""Scheduled work: beat runs close_due every minute (CELERY_BEAT_SCHEDULE in config/settings.py)."""

from celery import shared_task

from jobs.base import RecordedTask

from .closing import run_due


@shared_task(base=RecordedTask, name="transfers.close_due")
def close_due() -> dict[str, int]:
    return run_due()
