"""The base of every background task: a failed attempt is retried with exponential backoff (2 s, 4 s, 8 s,
... up to 10 minutes, with jitter so a burst of failures does not retry in lockstep) and every failed
attempt is recorded as a TaskFailure that bureau staff see in the Wagtail admin. Bad input (a
ValidationError or PermissionDenied) is not retried: it would fail the same way again."""

from __future__ import annotations

from typing import Any

from celery import Task
from django.core.exceptions import PermissionDenied, ValidationError


class RecordedTask(Task):
    autoretry_for = (Exception,)
    dont_autoretry_for = (ValidationError, PermissionDenied)
    retry_backoff = 2
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 5
    acks_late = True  # a worker killed mid-task leaves the message for another worker

    def on_retry(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        self._record(exc, task_id, args, kwargs, einfo, final=False)

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        self._record(exc, task_id, args, kwargs, einfo, final=True)

    def _record(self, exc, task_id, args, kwargs, einfo, *, final: bool) -> None:
        from .services import record_failure

        record_failure(task_name=self.name, task_id=task_id or "", attempt=self.request.retries + 1,
                       final=final, arguments=f"{args!r} {kwargs!r}"[:2000], error=f"{type(exc).__name__}: {exc}",
                       traceback=str(einfo or "")[-8000:])
