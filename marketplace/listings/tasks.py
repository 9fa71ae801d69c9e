"""Listing tasks run by beat."""

from __future__ import annotations

from celery import shared_task

from jobs.base import RecordedTask


@shared_task(base=RecordedTask, name="listings.deadline_reminders")
def deadline_reminders_task() -> int:
    from .reminders import send_deadline_reminders

    return send_deadline_reminders()
