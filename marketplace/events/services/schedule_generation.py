"""Generating the 1:1 meeting schedule: asked for by the organizer, computed by the worker outside any
lock, saved under the event lock only if its inputs did not change meanwhile."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from jobs import selectors as job_selectors
from jobs import services as job_services

from .. import scheduling
from ..models import EventPage, EventSchedule, Meeting, MeetingPreference, Registration
from ..schedule_inputs import build_problem
from ..states import ATTENDING
from .common import lock_event, organizer_only

SCHEDULE_JOB = "events.schedule"
SCHEDULE_APPLY_ATTEMPTS = 3


def schedule_job_subject(event: EventPage) -> str:
    return f"event:{event.pk}"


def schedule_row(event: EventPage) -> EventSchedule:
    schedule, _created = EventSchedule.objects.get_or_create(event=event)
    return schedule


def _schedule_inputs_version(event: EventPage) -> str:
    """A fingerprint of everything a generated schedule is built on apart from match scores: the grid,
    who attends, requests and declines, and the hand-placed meetings. Read before computing (no lock) and
    again under the event lock before saving; if it changed meanwhile, the result is stale."""
    parts = [
        (event.slot_count, event.table_count, event.max_meetings_per_participant),
        sorted(Registration.objects.filter(event=event, status__in=ATTENDING).values_list("pk", flat=True)),
        sorted(MeetingPreference.objects.filter(event=event).values_list("source_id", "target_id", "kind")),
        sorted(Meeting.objects.filter(event=event).exclude(source=Meeting.Source.GENERATED)
               .values_list("slot", "table", "a_id", "b_id")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def request_schedule_generation(*, user: User, event: EventPage):
    """Start generating the schedule in the background (jobs.Job polled by the schedule page). While one
    generation is queued or running, asking again returns that job."""
    # The task module imports this one (the worker runs compute_and_apply_schedule).
    from ..tasks import generate_schedule_task

    organizer_only(user, event)
    if not event.has_meetings:
        raise ValidationError(_("本活动未设置洽谈时段和洽谈桌。"))
    current = job_selectors.latest_job(kind=SCHEDULE_JOB, subject=schedule_job_subject(event))
    if current is not None and not current.is_finished:
        return current
    job = job_services.create_job(kind=SCHEDULE_JOB, subject=schedule_job_subject(event), user=user)
    job_services.enqueue(generate_schedule_task, job.pk, event.pk)
    return job


def generate_meeting_schedule(*, user: User, event: EventPage, match_fn="auto",
                              time_budget: float = 60.0) -> EventSchedule:
    """(Re)generate the 1:1 meetings now (the worker's task, tests and the benchmark call this). Hand-placed
    meetings stay; the schedule is unpublished until the organizer publishes it again."""
    organizer_only(user, event)
    return compute_and_apply_schedule(event_id=event.pk, match_fn=match_fn, time_budget=time_budget)


def compute_and_apply_schedule(*, event_id: int, job_id: int | None = None, match_fn="auto",
                               time_budget: float = 60.0) -> EventSchedule:
    """Compute outside any transaction or row lock (it may take a minute; registrations and check-in
    go on meanwhile), then lock the event briefly to save, only if the inputs are unchanged (version
    check); otherwise compute again, up to SCHEDULE_APPLY_ATTEMPTS times."""

    def progress(percent: int, stage: str) -> None:
        if job_id is not None:
            job_services.report_progress(job_id, percent, stage)

    for _attempt in range(SCHEDULE_APPLY_ATTEMPTS):
        event = EventPage.objects.get(pk=event_id)
        if not event.has_meetings:
            raise ValidationError(_("本活动未设置洽谈时段和洽谈桌。"))
        version = _schedule_inputs_version(event)
        problem, source = build_problem(event, match_fn=match_fn)
        progress(10, _("正在计算洽谈安排"))
        try:
            result = scheduling.generate_schedule(problem, time_budget=time_budget)
        except scheduling.ScheduleError as error:
            raise ValidationError(_("手工安排的洽谈互相冲突：%(e)s") % {
                "e": error}) from error
        baseline = scheduling.greedy_schedule(problem)
        progress(90, _("正在保存洽谈安排"))
        with transaction.atomic():
            event = lock_event(event)
            if _schedule_inputs_version(event) != version:
                continue  # someone changed the inputs while we computed: the result is stale
            return _save_generated(event, result, baseline, source)
    raise ValidationError(_("计算期间参会单位或洽谈安排一再变化，请稍后重新生成。"))


def _save_generated(event: EventPage, result, baseline, source: str) -> EventSchedule:
    Meeting.objects.filter(event=event, source=Meeting.Source.GENERATED).delete()
    Meeting.objects.bulk_create([
        Meeting(event=event, slot=m.slot, table=m.table, a_id=m.a, b_id=m.b, score=m.score,
                requested=m.requested, reasons=list(m.reasons), source=Meeting.Source.GENERATED)
        for m in result.meetings if not m.fixed])
    schedule = schedule_row(event)
    schedule.generated_at = timezone.now()
    schedule.published_at = None
    schedule.algorithm = result.algorithm
    schedule.score_source = source
    schedule.total_score = result.total_score
    schedule.greedy_score = baseline.total_score
    schedule.unfit = [{"requester": u.requester, "partner": u.partner, "reason": u.reason, "who": u.who}
                      for u in result.unfit]
    schedule.save()
    return schedule
