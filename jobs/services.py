"""Writes for jobs: create one, report its progress, finish or fail it, record a failed task attempt,
and enqueue a task once the current transaction commits (so a worker never looks for rows that are not
committed yet, and a rolled-back request sends nothing)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import Job, SentNotice, TaskFailure

logger = logging.getLogger(__name__)


def tasks_run_in_process() -> bool:
    """True without a broker (`make run`, most tests): Celery runs every task at the moment it is sent."""
    from celery import current_app

    return bool(current_app.conf.task_always_eager)


def enqueue(task: Any, *args: Any, **kwargs: Any) -> None:
    """Send `task` after the surrounding transaction commits (at once outside one). Under `make run`
    (no broker) Celery runs it in-process right there (task_always_eager)."""
    def send() -> None:
        task.apply_async(args=args, kwargs=kwargs)

    transaction.on_commit(send, robust=True)


def create_job(*, kind: str, subject: str, user=None) -> Job:
    return Job.objects.create(kind=kind, subject=subject, created_by=user)


def report_progress(job_id: int, percent: int, stage: str) -> None:
    """The first report also marks the job running. One UPDATE in autocommit: it never waits on the
    caller's own transaction and holds no lock afterwards."""
    now = timezone.now()
    Job.objects.filter(pk=job_id, started_at__isnull=True).update(started_at=now)
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, progress=max(0, min(percent, 100)),
                                         stage=stage[:120])


def finish_job(job_id: int, *, message: str, result: dict | None = None) -> None:
    Job.objects.filter(pk=job_id).update(status=Job.Status.DONE, progress=100, stage="", message=message,
                                         result=result or {}, finished_at=timezone.now())


def fail_job(job_id: int, *, message: str) -> None:
    Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, stage="", message=message,
                                         finished_at=timezone.now())


def record_failure(*, task_name: str, task_id: str, attempt: int, final: bool, arguments: str, error: str,
                   traceback: str) -> TaskFailure | None:
    try:
        return TaskFailure.objects.create(task_name=task_name, task_id=task_id, attempt=attempt, final=final,
                                          arguments=arguments, error=error, traceback=traceback)
    except Exception:  # the database itself may be what failed: the log keeps the record then
        logger.exception("could not record the failure of %s (%s): %s", task_name, task_id, error)
        return None


def claim_notice(key: str) -> bool:
    """True the first time `key` is claimed, False ever after. Call it inside the transaction that sends the
    reminder: the mail is enqueued on commit, so a rolled-back send releases the claim as well."""
    with transaction.atomic():  # a savepoint: a lost race leaves the caller's transaction usable
        _, created = SentNotice.objects.get_or_create(key=key[:200])
    return created
