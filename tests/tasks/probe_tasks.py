"""Tasks that exist only in the test worker (loaded with `celery worker -I tests.tasks.probe_tasks`): they fail
on purpose so the retry policy of every real task (jobs.base.RecordedTask) can be watched at work. Each
attempt is reported on a Job row, which the test reads."""

from celery import shared_task

from jobs.base import RecordedTask
from jobs.services import finish_job, report_progress


@shared_task(bind=True, base=RecordedTask, name="tests.fails_then_succeeds", retry_backoff=1)
def fails_then_succeeds(self, job_id: int, failures: int) -> None:
    attempt = self.request.retries + 1
    report_progress(job_id, attempt, f"attempt {attempt}")
    if attempt <= failures:
        raise RuntimeError(f"planned failure on attempt {attempt}")
    finish_job(job_id, message=f"succeeded on attempt {attempt}")


@shared_task(bind=True, base=RecordedTask, name="tests.always_fails", retry_backoff=1, max_retries=1)
def always_fails(self, job_id: int) -> None:
    attempt = self.request.retries + 1
    report_progress(job_id, attempt, f"attempt {attempt}")
    raise RuntimeError(f"planned failure on attempt {attempt}")
