"""Reads for jobs."""

from __future__ import annotations

from .models import Job, TaskFailure


def latest_job(*, kind: str, subject: str) -> Job | None:
    return Job.objects.filter(kind=kind, subject=subject).order_by("-created_at", "-pk").first()


def job_started_by(user, *, pk: int, kind: str) -> Job | None:
    """A job of this kind, for the person who started it only (its report may quote their file)."""
    if not user.is_authenticated:
        return None
    return Job.objects.filter(pk=pk, kind=kind, created_by=user).first()


def failure_count(*, final_only: bool = False) -> int:
    qs = TaskFailure.objects.all()
    return qs.filter(final=True).count() if final_only else qs.count()
