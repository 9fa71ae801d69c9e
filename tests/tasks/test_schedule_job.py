"""Meeting-schedule generation runs in the real worker: the organizer starts it on the schedule page, may
leave, and the page shows the job's progress; no lock is held on the event row while the worker computes."""

import psycopg
import pytest
from django.db import connection, transaction
from django.urls import reverse

from jobs.models import Job
from jobs.services import create_job, enqueue
from marketplace.events.models import EventPage, Meeting, MeetingPreference
from marketplace.events.services import meeting_preferences, schedule_edits, schedule_generation
from marketplace.events.tasks import generate_schedule_task
from tests.events.builders import make_event, register
from tests.factories import make_user
from tests.worker import wait_until

WORKER = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REQUESTS = [("a", "b"), ("c", "d"), ("a", "c")]


@pytest.fixture
def small_fair(site):
    """Four organizations, three requested meetings; 3 slots x 2 tables hold all three (a meets b and c in
    two different slots, c-d fits beside a-b or in the third slot)."""
    organizer = make_user("organizer")
    event = make_event(organizer=organizer, slot_count=3, table_count=2)
    regs = {name: register(event) for name in "abcd"}
    for source, target in REQUESTS:
        meeting_preferences.set_preference(user=regs[source].registered_by, registration=regs[source],
                                           target=regs[target], kind=MeetingPreference.Kind.REQUEST)
    return organizer, event, regs


def _finished(job_id: int) -> Job | None:
    job = Job.objects.get(pk=job_id)
    return job if job.is_finished else None


def _requested_pairs_met(event, regs) -> None:
    met = {frozenset((m.a_id, m.b_id)) for m in Meeting.objects.filter(event=event)}
    for source, target in REQUESTS:
        assert frozenset((regs[source].pk, regs[target].pk)) in met, f"the requested {source}-{target} meeting"


@WORKER
def test_the_organizer_generates_the_schedule_through_the_worker(task_worker, small_fair, client):
    organizer, event, regs = small_fair
    client.force_login(organizer)
    response = client.post(reverse("events:schedule_action", args=[event.pk, "generate"]), follow=True)
    assert "日程正在后台生成" in response.content.decode()
    job = Job.objects.get(kind=schedule_generation.SCHEDULE_JOB, subject=f"event:{event.pk}")
    done = wait_until(lambda: _finished(job.pk), timeout=60, what="the schedule job")
    assert (done.status, done.progress) == (Job.Status.DONE, 100), done.message
    _requested_pairs_met(event, regs)
    html = client.get(reverse("events:schedule", args=[event.pk])).content.decode()
    assert done.message in html and 'http-equiv="refresh"' not in html, "a finished job stops the polling"


@WORKER
def test_the_event_row_is_not_locked_while_the_schedule_is_computed(task_worker, small_fair):
    organizer, event, regs = small_fair
    job = create_job(kind=schedule_generation.SCHEDULE_JOB, subject=f"event:{event.pk}", user=organizer)
    settings_dict = connection.settings_dict
    gate = psycopg.connect(dbname=settings_dict["NAME"], user=settings_dict["USER"],
                           password=settings_dict["PASSWORD"], host=settings_dict["HOST"],
                           port=settings_dict["PORT"])
    try:
        # Hold the job row: the worker's first progress report ("computing", sent once the inputs are read
        # and before the computation) waits on it, so the worker is parked at exactly that point.
        gate.execute("SELECT id FROM jobs_job WHERE id = %s FOR UPDATE", [job.pk])
        enqueue(generate_schedule_task, job.pk, event.pk)

        def worker_waits_on_the_job_row() -> bool:
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                               "AND wait_event_type = 'Lock' AND query ILIKE %s", ["UPDATE%jobs_job%"])
                return cursor.fetchone()[0] == 1

        wait_until(worker_waits_on_the_job_row, timeout=60, what="the worker to reach the computing step")
        with transaction.atomic(), connection.cursor() as cursor:
            # Raises "could not obtain lock" if the worker held the event row (as the old in-request code did).
            cursor.execute(f"SELECT 1 FROM {EventPage._meta.db_table} WHERE {EventPage._meta.pk.column} = %s "
                           "FOR UPDATE NOWAIT", [event.pk])
            assert cursor.fetchone() == (1,)
    finally:
        gate.rollback()
        gate.close()
    done = wait_until(lambda: _finished(job.pk), timeout=60, what="the schedule job after the gate opened")
    assert done.status == Job.Status.DONE, done.message
    _requested_pairs_met(event, regs)


@pytest.mark.django_db
def test_a_schedule_computed_on_stale_inputs_is_not_saved(small_fair, monkeypatch):
    """Version check: if the hand-placed meetings change while the worker computes, the result is thrown
    away and computed again from the new inputs (here the second computation sees the manual meeting)."""
    organizer, event, regs = small_fair
    real_generate = schedule_generation.scheduling.generate_schedule
    calls = []

    def generate_while_the_organizer_edits(problem, **kwargs):
        calls.append(len(problem.fixed))
        if len(calls) == 1:  # the organizer places a meeting by hand during the first computation
            schedule_edits.add_meeting(user=organizer, event=event, a=regs["b"], b=regs["d"], slot=2, table=1)
        return real_generate(problem, **kwargs)

    monkeypatch.setattr(schedule_generation.scheduling, "generate_schedule", generate_while_the_organizer_edits)
    schedule_generation.compute_and_apply_schedule(event_id=event.pk, match_fn=None)
    assert calls == [0, 1], "computed twice: the first result was stale"
    manual = Meeting.objects.get(event=event, source=Meeting.Source.MANUAL)
    assert (manual.slot, manual.table) == (2, 1)
    _requested_pairs_met(event, regs)


@pytest.mark.django_db
def test_the_schedule_page_polls_while_the_job_runs(small_fair, client):
    organizer, event, _regs = small_fair
    Job.objects.create(kind=schedule_generation.SCHEDULE_JOB, subject=f"event:{event.pk}", status=Job.Status.RUNNING,
                       progress=10, stage="正在计算洽谈安排", created_by=organizer)
    client.force_login(organizer)
    html = client.get(reverse("events:schedule", args=[event.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert 'value="10"' in html and "正在计算洽谈安排" in html
