"""The organizer's hand edits of the meeting schedule (add, move, cancel a meeting, each checked against
the grid, busy parties and declines) and publishing or withdrawing the participants' agendas."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User

from .. import emails, scheduling
from ..models import EventPage, EventSchedule, Meeting, MeetingPreference, Registration
from ..states import ATTENDING
from .common import lock_event, organizer_only
from .schedule_generation import schedule_row


def as_core(meeting: Meeting) -> scheduling.Meeting:
    """The scheduler's view of a saved meeting (the placement checks work on these)."""
    return scheduling.Meeting(slot=meeting.slot, table=meeting.table, a=meeting.a_id, b=meeting.b_id)


# Lazy: read in the language of the request that hit the problem, not the one of import time.
PLACEMENT_MESSAGES = {
    "slot": gettext_lazy("时段超出范围。"),
    "table_range": gettext_lazy("桌号超出范围。"),
    "self": gettext_lazy("不能与自己洽谈。"),
    "a_busy": gettext_lazy("第一方在该时段已有洽谈。"),
    "b_busy": gettext_lazy("第二方在该时段已有洽谈。"),
    "table_taken": gettext_lazy("该桌在该时段已被占用。"),
    "duplicate": gettext_lazy("双方已安排过洽谈。"),
    "declined": gettext_lazy("一方已谢绝与对方洽谈。"),
    "not_attending": gettext_lazy("双方都须为已确认的参会单位。"),
}


def _check_placement(event: EventPage, candidate: scheduling.Meeting, ignore: Meeting | None = None) -> None:
    existing = [as_core(m) for m in Meeting.objects.filter(event=event)
                if ignore is None or m.pk != ignore.pk]
    declines = MeetingPreference.objects.filter(event=event, kind=MeetingPreference.Kind.DECLINE).values_list(
        "source_id", "target_id")
    problems = scheduling.placement_problems(existing, candidate, slots=event.slot_count,
                                             tables=event.table_count, declines=list(declines))
    attending = set(Registration.objects.filter(pk__in=[candidate.a, candidate.b], event=event,
                                                status__in=ATTENDING).values_list("pk", flat=True))
    if attending != {candidate.a, candidate.b}:
        problems.append("not_attending")
    if problems:
        raise ValidationError([PLACEMENT_MESSAGES[p] for p in problems])


@transaction.atomic
def add_meeting(*, user: User, event: EventPage, a: Registration, b: Registration, slot: int, table: int
                ) -> Meeting:
    organizer_only(user, event)
    event = lock_event(event)
    _check_placement(event, scheduling.Meeting(slot=slot, table=table, a=a.pk, b=b.pk))
    requested = MeetingPreference.objects.filter(source__in=[a, b], target__in=[a, b],
                                                 kind=MeetingPreference.Kind.REQUEST).exists()
    return Meeting.objects.create(event=event, slot=slot, table=table, a=a, b=b, requested=requested,
                                  source=Meeting.Source.MANUAL,
                                  reasons=[_("组织方安排")])


@transaction.atomic
def move_meeting(*, user: User, meeting: Meeting, slot: int, table: int) -> Meeting:
    organizer_only(user, meeting.event)
    event = lock_event(meeting.event)
    _check_placement(event, scheduling.Meeting(slot=slot, table=table, a=meeting.a_id, b=meeting.b_id),
                     ignore=meeting)
    meeting.slot, meeting.table, meeting.source = slot, table, Meeting.Source.MANUAL
    meeting.save(update_fields=["slot", "table", "source"])
    return meeting


@transaction.atomic
def cancel_meeting(*, user: User, meeting: Meeting) -> None:
    organizer_only(user, meeting.event)
    lock_event(meeting.event)
    meeting.delete()


@transaction.atomic
def publish_schedule(*, user: User, event: EventPage) -> EventSchedule:
    """Make the agendas visible to participants, after checking every constraint once more."""
    organizer_only(user, event)
    event = lock_event(event)
    meetings = list(Meeting.objects.filter(event=event))
    if not meetings:
        raise ValidationError(_("还没有任何洽谈安排。"))
    declines = list(MeetingPreference.objects.filter(event=event, kind=MeetingPreference.Kind.DECLINE)
                    .values_list("source_id", "target_id"))
    problems = scheduling.schedule_violations([as_core(m) for m in meetings], slots=event.slot_count,
                                              tables=event.table_count, declines=declines)
    if problems:
        raise ValidationError(_("日程存在冲突：%(p)s") % {
            "p": "; ".join(problems)})
    schedule = schedule_row(event)
    schedule.published_at = timezone.now()
    schedule.save(update_fields=["published_at"])
    emails.agenda_published(event)
    return schedule


@transaction.atomic
def unpublish_schedule(*, user: User, event: EventPage) -> EventSchedule:
    organizer_only(user, event)
    schedule = schedule_row(event)
    schedule.published_at = None
    schedule.save(update_fields=["published_at"])
    return schedule
