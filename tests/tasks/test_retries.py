"""A failed task is retried by the real worker with backoff, and every failed attempt is recorded for bureau staff."""

import pytest

from jobs.models import Job, TaskFailure
from jobs.services import create_job, enqueue
from tests.tasks.probe_tasks import always_fails, fails_then_succeeds
from tests.worker import wait_until

WORKER = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _finished(job_id: int) -> Job | None:
    job = Job.objects.get(pk=job_id)
    return job if job.is_finished else None


@WORKER
def test_a_failing_task_is_retried_until_it_succeeds(task_worker):
    job = create_job(kind="probe", subject="retry")
    enqueue(fails_then_succeeds, job.pk, 2)
    # Backoff with jitter: at most 1 s + 2 s of waiting, plus the worker's own latency.
    done = wait_until(lambda: _finished(job.pk), timeout=60, what="the retried task to finish")
    assert done.status == Job.Status.DONE
    assert done.message == "succeeded on attempt 3", "two planned failures, so the third attempt succeeds"
    failures = list(TaskFailure.objects.filter(task_name="tests.fails_then_succeeds").order_by("attempt"))
    assert [(f.attempt, f.final) for f in failures] == [(1, False), (2, False)]
    assert "planned failure on attempt 1" in failures[0].error


@WORKER
def test_a_task_that_keeps_failing_is_given_up_and_recorded_as_final(task_worker):
    job = create_job(kind="probe", subject="give-up")
    enqueue(always_fails, job.pk)
    failures = wait_until(
        lambda: list(TaskFailure.objects.filter(task_name="tests.always_fails", final=True)),
        timeout=60, what="the final failure record")
    assert failures[0].attempt == 2, "max_retries=1: the first attempt and one retry"
    attempts = TaskFailure.objects.filter(task_name="tests.always_fails").values_list("attempt", "final")
    assert sorted(attempts) == [(1, False), (2, True)]
    assert Job.objects.get(pk=job.pk).progress == 2, "the task ran exactly twice"
