"""Search tasks: drain the outbox (after every commit that changes a listing, and swept periodically by beat)."""

from __future__ import annotations

from celery import shared_task

from jobs.base import RecordedTask

from . import services


class OutboxNotDrained(Exception):
    """The search engine did not take every row: the task retries with backoff; the rows stay queued."""


@shared_task(base=RecordedTask, name=services.DRAIN_TASK)
def drain_outbox() -> dict:
    report = services.drain()
    if report.failed:
        raise OutboxNotDrained(f"{report.pending} rows pending: {report.error}")
    return {"indexed": report.indexed, "deleted": report.deleted}
