"""Writes for events: creating events, registering, the status machine, the waiting list, refunds on
cancellation, meeting preferences, the meeting schedule and check-in.

Concurrency: every write that changes who holds a seat first locks the event row
(SELECT ... FOR UPDATE), then counts seats inside that lock; so parallel registrations serialise per
event and capacity is never oversold. Payments lock the event row first too (same lock order)."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.permissions import is_bureau, is_member
from marketplace.core.one_time import SubmissionKey, claim_submission, remember_submission
from marketplace.core.pages import place_new_page
from marketplace.listings.models import AchievementPage, DemandPage

from . import checkin, emails, scheduling
from .models import (
    EventIndexPage,
    EventPage,
    EventSchedule,
    Meeting,
    MeetingPreference,
    Participant,
    Registration,
    RegistrationLog,
    TicketType,
    WhenFull,
)
from .permissions import can_act_for_registration, can_manage_event, is_organizer
from .selectors import seats_taken
from .states import ACTIVE, ATTENDING, RegistrationStatus, can_transition

logger = logging.getLogger(__name__)
S = RegistrationStatus
MAX_PARTICIPANTS_PER_REGISTRATION = 20


class RegistrationRefused(ValidationError):
    """Registration is not possible (window closed, full, duplicate...): the message says why."""


class InvalidTransition(ValidationError):
    pass


@dataclass
class ParticipantData:
    name: str
    title: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class TicketData:
    name: str
    price: Decimal
    description: str = ""


# --------------------------------------------------------------------------------------------------
# Events

def ensure_event_index() -> EventIndexPage:
    """The events section under the home page (created and published once)."""
    from cms.site_setup import ensure_section

    return ensure_section(EventIndexPage)


@transaction.atomic
def create_event(*, user: User, data: dict, tickets: list[TicketData], submit: bool = True,
                 submission_token: str | SubmissionKey | None = None) -> EventPage:
    """An organizer drafts an event; it goes live when bureau staff approve it in the moderation workflow."""
    if not is_organizer(user):
        raise PermissionDenied(_("只有活动组织方可以创建活动。"))
    if not tickets:
        raise ValidationError(_("至少需要一个票种（免费票的价格填0）。"))
    submission = claim_submission(submission_token, user)
    parent = ensure_event_index()
    page = EventPage(owner=user, organizer=user, live=False, slug=f"event-{uuid.uuid4().hex[:10]}", **data)
    page.ticket_types = [TicketType(name=t.name, price=t.price, description=t.description) for t in tickets]
    for ticket in page.ticket_types.all():
        ticket.full_clean(exclude=["page"])
    place_new_page(parent=parent, page=page, user=user, submit=submit)
    remember_submission(submission, page)
    return page


def lock_event(event: EventPage) -> EventPage:
    """Lock the event row for the rest of the transaction. Every seat-changing write starts here."""
    from django.db import connection

    # FOR NO KEY UPDATE: serialises seat-changing writes just as well, but does not block the foreign-key
    # checks of rows that merely point at the event (a check-in's log row, committed while a cancellation
    # holds this lock and waits for the registration row: with a full FOR UPDATE that is a deadlock).
    qs = EventPage.objects.select_for_update(no_key=True)
    if connection.features.has_select_for_update_of:
        # Lock the event's own row, not Wagtail's shared page row that the admin also writes.
        qs = EventPage.objects.select_for_update(no_key=True, of=("self",))
    return qs.get(pk=event.pk)


def lock_registration(registration: Registration) -> Registration:
    """Lock the registration's row and return it as committed now. Every status change (approve, reject,
    cancel, payment, check-in) takes this lock and decides on the fresh status, so two of them cannot both
    act on the same old status. Seat-changing writes lock the event first (same order everywhere)."""
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.refresh_from_db()
    return locked


def _initial_status(event: EventPage, price: Decimal) -> str:
    if event.requires_approval:
        return S.PENDING_APPROVAL
    return S.PENDING_PAYMENT if price > 0 else S.CONFIRMED


def _status_after_approval(registration: Registration) -> str:
    return S.PENDING_PAYMENT if registration.is_paid_ticket else S.CONFIRMED


def _transition(registration: Registration, target: str, *, by: User | None = None, note: str = "") -> None:
    current = registration.status
    if not can_transition(current, target):
        raise InvalidTransition(_("报名状态不能从“%(from)s”变为“%(to)s”。") % {
            "from": S(current).label, "to": S(target).label})
    now = timezone.now()
    # Compare and set: the row must still hold the status the decision was made on (the caller holds the
    # row lock, so this only fails if a caller forgot it).
    if not Registration.objects.filter(pk=registration.pk, status=current).update(status=target):
        raise InvalidTransition(_("报名状态已被他人修改，请刷新后重试。"))
    registration.status = target
    fields = ["status"]
    if target == S.CONFIRMED:
        registration.confirmed_at = now
        fields.append("confirmed_at")
    elif target in (S.CANCELLED, S.REJECTED):
        registration.cancelled_at = now
        fields.append("cancelled_at")
    elif target == S.WAITLISTED:
        registration.waitlisted_at = now
        fields.append("waitlisted_at")
    registration.save(update_fields=fields)
    RegistrationLog.objects.create(registration=registration, from_status=current, to_status=target, by=by,
                                   note=note[:300])
    emails.status_changed(registration, current)


# --------------------------------------------------------------------------------------------------
# Registration

def register(*, user: User, event: EventPage, organization: Organization, ticket: TicketType,
             participants: list[ParticipantData], contact_email: str = "", offers: str = "", seeks: str = "",
             demands: list[DemandPage] = (), achievements: list[AchievementPage] = (),
             now: dt.datetime | None = None, submission_token: str | SubmissionKey | None = None) -> Registration:
    """Register an organization's people for an event. Confirmed, pending approval/payment, waitlisted,
    or refused with a reason (RegistrationRefused); a repeated post of the same form raises
    DuplicateSubmission carrying the registration the first post made."""
    if not (is_member(user, organization) or is_bureau(user)):
        raise PermissionDenied(_("您不是该机构的成员。"))
    if ticket.page_id != event.pk:
        raise ValidationError({"ticket": _("该票种不属于本活动。")})
    if not participants:
        raise ValidationError({"participants": _("请至少填写一名参会人。")})
    if len(participants) > MAX_PARTICIPANTS_PER_REGISTRATION:
        limit = {"n": MAX_PARTICIPANTS_PER_REGISTRATION}
        raise ValidationError({"participants": _("每个单位最多%(n)d人。") % limit})
    for listing in [*demands, *achievements]:
        if listing.organization_id != organization.pk:
            raise ValidationError(_("只能关联本单位发布的需求和成果。"))
    now = now or timezone.now()
    try:
        with transaction.atomic():
            # Claimed before the event lock (the same order as every create): it commits with the registration.
            submission = claim_submission(submission_token, user)
            locked = lock_event(event)
            if not locked.live:
                raise RegistrationRefused(_("活动尚未发布。"), code="not_live")
            if now < locked.registration_opens_at:
                opens = timezone.localtime(locked.registration_opens_at).strftime("%Y-%m-%d %H:%M")
                raise RegistrationRefused(_("报名尚未开始，开始时间：%(t)s。")
                                          % {"t": opens}, code="not_open")
            if now >= locked.registration_closes_at:
                raise RegistrationRefused(_("报名已截止。"), code="closed")
            mine = Registration.objects.filter(event=locked, organization=organization, status__in=ACTIVE)
            if mine.exists():
                raise RegistrationRefused(_("本单位已报名此活动。"),
                                          code="duplicate")
            seats = len(participants)
            queue_exists = Registration.objects.filter(event=locked, status=S.WAITLISTED).exists()
            fits = seats_taken(locked) + seats <= locked.capacity
            if fits and not queue_exists:
                status = _initial_status(locked, ticket.price)
            elif locked.when_full == WhenFull.WAITLIST:
                status = S.WAITLISTED  # nobody overtakes the queue
            elif queue_exists:
                # The same rule as the advertised seats (selectors.seats_left): the queue comes first.
                raise RegistrationRefused(_("名额已满：候补名单中的单位优先递补，不再接受新报名。"), code="full")
            else:
                left = max(0, locked.capacity - seats_taken(locked))
                raise RegistrationRefused(
                    _("名额已满（剩余%(left)d个，需要%(need)d个）。") % {"left": left, "need": seats}, code="full")
            registration = Registration.objects.create(
                event=locked, organization=organization, registered_by=user, ticket=ticket,
                ticket_name=ticket.name, unit_price=ticket.price, seats=seats, status=status,
                contact_email=contact_email or user.email, offers=offers, seeks=seeks,
                # Taken inside the lock, so the queue order is the order in which the lock was won.
                waitlisted_at=timezone.now() if status == S.WAITLISTED else None,
                confirmed_at=timezone.now() if status == S.CONFIRMED else None)
            for person in participants:
                _create_participant(registration, person)
            registration.demands.set(demands)
            registration.achievements.set(achievements)
            RegistrationLog.objects.create(registration=registration, to_status=status, by=user,
                                           note="registered")
            emails.registered(registration)
            remember_submission(submission, registration)
            return registration
    except IntegrityError as error:
        # Two requests for the same organization racing past the duplicate check.
        raise RegistrationRefused(_("本单位已报名此活动。"),
                                  code="duplicate") from error


def _create_participant(registration: Registration, person: ParticipantData) -> Participant:
    if not person.name.strip():
        raise ValidationError({"participants": _("参会人姓名不能为空。")})
    for _attempt in range(10):
        code = checkin.new_checkin_code()
        if not Participant.objects.filter(checkin_code=code).exists():
            break
    return Participant.objects.create(registration=registration, name=person.name.strip(),
                                      title=person.title.strip(), phone=person.phone.strip(),
                                      email=person.email.strip(), checkin_code=code)


def _promote_waitlist(event: EventPage, *, by: User | None = None) -> list[Registration]:
    """Fill freed seats from the waiting list in arrival order. Strictly first come, first served: when
    the head of the queue does not fit, nobody behind it moves up. The caller holds the event lock."""
    promoted = []
    free = event.capacity - seats_taken(event)
    for registration in Registration.objects.filter(event=event, status=S.WAITLISTED).order_by(
            "waitlisted_at", "pk"):
        if registration.seats > free:
            break
        target = S.PENDING_APPROVAL if event.requires_approval else _status_after_approval(registration)
        _transition(registration, target, by=by, note="promoted from the waiting list")
        free -= registration.seats
        promoted.append(registration)
    return promoted


def _organizer_only(user: User, event: EventPage) -> None:
    if not can_manage_event(user, event):
        raise PermissionDenied(_("只有本活动的组织方可以操作。"))


@transaction.atomic
def approve(*, user: User, registration: Registration) -> Registration:
    _organizer_only(user, registration.event)
    lock_event(registration.event)
    lock_registration(registration)
    if registration.status != S.PENDING_APPROVAL:
        raise InvalidTransition(_("只有待审核的报名可以通过。"))
    _transition(registration, _status_after_approval(registration), by=user, note="approved")
    return registration


@transaction.atomic
def reject(*, user: User, registration: Registration, reason: str = "") -> Registration:
    _organizer_only(user, registration.event)
    event = lock_event(registration.event)
    lock_registration(registration)
    _transition(registration, S.REJECTED, by=user, note=reason or "rejected")
    _refund_if_paid(registration, by_organizer=True, reason=reason or "rejected by organizer")
    _drop_meetings(registration)
    # Freed seats, or a new head of the queue that now fits.
    _promote_waitlist(event, by=user)
    return registration


def refund_due(registration: Registration, *, by_organizer: bool, now: dt.datetime | None = None) -> Decimal:
    """How much of what was paid goes back: all of it when the organizer cancels; when the registrant
    cancels, all of it until `refund_full_days_before` days before the start, nothing after."""
    from marketplace.payments.selectors import net_paid

    paid = net_paid(registration)
    if paid <= 0:
        return Decimal("0")
    if by_organizer:
        return paid
    now = now or timezone.now()
    deadline = registration.event.starts_at - dt.timedelta(days=registration.event.refund_full_days_before)
    return paid if now <= deadline else Decimal("0")


def _refund_if_paid(registration: Registration, *, by_organizer: bool, reason: str,
                    now: dt.datetime | None = None) -> Decimal:
    from jobs.services import tasks_run_in_process
    from marketplace.payments.services import refund_registration
    from marketplace.payments.tasks import request_refund

    amount = refund_due(registration, by_organizer=by_organizer, now=now)
    if amount <= 0:
        return amount
    if tasks_run_in_process():
        # `make run` (no broker): refund here, so a Stripe failure rolls the cancellation back.
        refund_registration(registration, amount, reason=reason)
    else:
        # The worker refunds after this commits, with no event lock held while Stripe answers; it retries
        # with backoff while Stripe is unreachable, and bureau staff see every failed attempt.
        request_refund(registration.pk, amount, reason=reason)
    return amount


@transaction.atomic
def cancel(*, user: User, registration: Registration, reason: str = "", now: dt.datetime | None = None
           ) -> Decimal:
    """Cancel a registration (registrant or organizer). Frees its seats for the waiting list and refunds
    by the event's rule. Returns the amount refunded. With a worker the refund follows in the background
    (retried until Stripe answers); without one (`make run`) a Stripe failure rolls the cancellation back."""
    by_organizer = can_manage_event(user, registration.event)
    if not (by_organizer or can_act_for_registration(user, registration)):
        raise PermissionDenied(_("无权取消此报名。"))
    event = lock_event(registration.event)
    lock_registration(registration)
    _transition(registration, S.CANCELLED, by=user,
                note=reason or ("cancelled by organizer" if by_organizer else "cancelled by registrant"))
    refunded = _refund_if_paid(registration, by_organizer=by_organizer,
                               reason=reason or "registration cancelled", now=now)
    _drop_meetings(registration)
    _promote_waitlist(event, by=user)
    return refunded


def _drop_meetings(registration: Registration) -> None:
    from django.db.models import Q

    Meeting.objects.filter(Q(a=registration) | Q(b=registration)).delete()


# Called by the payments app, inside its transaction, after it has locked the event row.

def mark_paid(registration: Registration, *, by: User | None = None, note: str = "paid (Stripe webhook)"
              ) -> bool:
    """A verified payment arrived. True if it confirmed the registration; False if the registration no
    longer wants the money (cancelled, rejected, already paid): the caller refunds it."""
    lock_registration(registration)
    if registration.status != S.PENDING_PAYMENT:
        return False
    _transition(registration, S.CONFIRMED, by=by, note=note)
    return True


def payment_expired(registration: Registration) -> None:
    """The checkout session expired unpaid: release the seats, unless another payment is still open."""
    from marketplace.payments.selectors import has_open_or_paid_payment

    lock_registration(registration)
    if registration.status != S.PENDING_PAYMENT or has_open_or_paid_payment(registration):
        return
    _transition(registration, S.CANCELLED, note="payment window expired")
    _promote_waitlist(registration.event)


# --------------------------------------------------------------------------------------------------
# Check-in

@dataclass
class CheckInResult:
    participant: Participant
    already: bool


def _check_in_window_open(event: EventPage, now: dt.datetime | None = None) -> None:
    """Refuse check-in before `checkin_opens_hours_before` hours ahead of the start and after the end."""
    now = now or timezone.now()
    opens = event.checkin_opens_at()
    if now < opens:
        raise ValidationError(_("签到尚未开放：本活动于 %(t)s 开始签到（开始前 %(h)s 小时）。") % {
            "t": timezone.localtime(opens).strftime("%Y-%m-%d %H:%M"), "h": event.checkin_opens_hours_before})
    if now > event.ends_at:
        raise ValidationError(_("活动已于 %(t)s 结束，签到已关闭。") % {
            "t": timezone.localtime(event.ends_at).strftime("%Y-%m-%d %H:%M")})


@transaction.atomic
def check_in(*, user: User, participant: Participant) -> CheckInResult:
    # The same row lock as cancel/reject: a check-in waits for a running cancellation and then sees
    # "cancelled"; a cancellation waits for a running check-in and then sees "checked in".
    registration = lock_registration(participant.registration)
    _organizer_only(user, registration.event)
    participant.refresh_from_db()
    if registration.status not in ATTENDING:
        raise ValidationError(_("该报名状态为“%(s)s”，不能签到。") % {"s": registration.get_status_display()})
    if participant.checked_in_at:
        return CheckInResult(participant, already=True)
    _check_in_window_open(registration.event)
    participant.checked_in_at = timezone.now()
    participant.checked_in_by = user
    participant.save(update_fields=["checked_in_at", "checked_in_by"])
    if registration.status == S.CONFIRMED:
        _transition(registration, S.CHECKED_IN, by=user, note=f"check-in: {participant.name}")
    return CheckInResult(participant, already=False)


def check_in_by_code(*, user: User, event: EventPage, code: str) -> CheckInResult:
    _organizer_only(user, event)
    participant = Participant.objects.filter(registration__event=event,
                                             checkin_code=checkin.normalize_code(code)).first()
    if participant is None:
        raise ValidationError(_("签到码无效或不属于本活动。"))
    return check_in(user=user, participant=participant)


def participant_from_token(token: str) -> Participant:
    try:
        participant_id, code = checkin.read_token(token)
    except (signing.BadSignature, KeyError, ValueError, TypeError):
        raise ValidationError(_("二维码无效。")) from None
    participant = Participant.objects.select_related("registration__event").filter(
        pk=participant_id, checkin_code=code).first()
    if participant is None:
        raise ValidationError(_("二维码对应的参会人不存在。"))
    return participant


# --------------------------------------------------------------------------------------------------
# Meeting preferences and the schedule

@transaction.atomic
def set_preference(*, user: User, registration: Registration, target: Registration, kind: str | None
                   ) -> MeetingPreference | None:
    """Request or decline a meeting with another registered organization (kind None clears it)."""
    if not can_act_for_registration(user, registration):
        raise PermissionDenied(_("无权修改此报名。"))
    if target.event_id != registration.event_id or target.pk == registration.pk:
        raise ValidationError(_("只能选择本活动的其他参会单位。"))
    if registration.status not in ACTIVE or target.status not in ACTIVE:
        raise ValidationError(_("双方都须为有效报名。"))
    if kind is None:
        MeetingPreference.objects.filter(source=registration, target=target).delete()
        return None
    if kind not in MeetingPreference.Kind.values:
        raise ValidationError(_("未知的洽谈意向。"))
    preference, _created = MeetingPreference.objects.update_or_create(
        source=registration, target=target, defaults={"kind": kind, "event_id": registration.event_id})
    if kind == MeetingPreference.Kind.DECLINE:
        # A decline takes effect at once, also on a schedule already generated.
        Meeting.objects.filter(event_id=registration.event_id, a__in=[registration, target],
                               b__in=[registration, target]).delete()
    return preference


def _schedule_row(event: EventPage) -> EventSchedule:
    schedule, _created = EventSchedule.objects.get_or_create(event=event)
    return schedule


SCHEDULE_JOB = "events.schedule"
SCHEDULE_APPLY_ATTEMPTS = 3


def schedule_job_subject(event: EventPage) -> str:
    return f"event:{event.pk}"


def _schedule_inputs_version(event: EventPage) -> str:
    """A fingerprint of everything a generated schedule is built on apart from match scores: the grid,
    who attends, requests and declines, and the hand-placed meetings. Read before computing (no lock) and
    again under the event lock before saving; if it changed meanwhile, the result is stale."""
    import hashlib

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
    from jobs import selectors as job_selectors
    from jobs import services as job_services

    from .tasks import generate_schedule_task

    _organizer_only(user, event)
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
    _organizer_only(user, event)
    return compute_and_apply_schedule(event_id=event.pk, match_fn=match_fn, time_budget=time_budget)


def compute_and_apply_schedule(*, event_id: int, job_id: int | None = None, match_fn="auto",
                               time_budget: float = 60.0) -> EventSchedule:
    """Compute outside any transaction or row lock (it may take a minute; registrations and check-in
    go on meanwhile), then lock the event briefly to save, only if the inputs are unchanged (version
    check); otherwise compute again, up to SCHEDULE_APPLY_ATTEMPTS times."""
    from jobs.services import report_progress

    from .schedule_inputs import build_problem

    def progress(percent: int, stage: str) -> None:
        if job_id is not None:
            report_progress(job_id, percent, stage)

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
    schedule = _schedule_row(event)
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


def _as_core(meeting: Meeting) -> scheduling.Meeting:
    return scheduling.Meeting(slot=meeting.slot, table=meeting.table, a=meeting.a_id, b=meeting.b_id)


PLACEMENT_MESSAGES = {
    "slot": _("时段超出范围。"),
    "table_range": _("桌号超出范围。"),
    "self": _("不能与自己洽谈。"),
    "a_busy": _("第一方在该时段已有洽谈。"),
    "b_busy": _("第二方在该时段已有洽谈。"),
    "table_taken": _("该桌在该时段已被占用。"),
    "duplicate": _("双方已安排过洽谈。"),
    "declined": _("一方已谢绝与对方洽谈。"),
    "not_attending": _("双方都须为已确认的参会单位。"),
}


def _check_placement(event: EventPage, candidate: scheduling.Meeting, ignore: Meeting | None = None) -> None:
    existing = [_as_core(m) for m in Meeting.objects.filter(event=event)
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
    _organizer_only(user, event)
    event = lock_event(event)
    _check_placement(event, scheduling.Meeting(slot=slot, table=table, a=a.pk, b=b.pk))
    requested = MeetingPreference.objects.filter(source__in=[a, b], target__in=[a, b],
                                                 kind=MeetingPreference.Kind.REQUEST).exists()
    return Meeting.objects.create(event=event, slot=slot, table=table, a=a, b=b, requested=requested,
                                  source=Meeting.Source.MANUAL,
                                  reasons=[_("组织方安排")])


@transaction.atomic
def move_meeting(*, user: User, meeting: Meeting, slot: int, table: int) -> Meeting:
    _organizer_only(user, meeting.event)
    event = lock_event(meeting.event)
    _check_placement(event, scheduling.Meeting(slot=slot, table=table, a=meeting.a_id, b=meeting.b_id),
                     ignore=meeting)
    meeting.slot, meeting.table, meeting.source = slot, table, Meeting.Source.MANUAL
    meeting.save(update_fields=["slot", "table", "source"])
    return meeting


@transaction.atomic
def cancel_meeting(*, user: User, meeting: Meeting) -> None:
    _organizer_only(user, meeting.event)
    lock_event(meeting.event)
    meeting.delete()


@transaction.atomic
def publish_schedule(*, user: User, event: EventPage) -> EventSchedule:
    """Make the agendas visible to participants, after checking every constraint once more."""
    _organizer_only(user, event)
    event = lock_event(event)
    meetings = list(Meeting.objects.filter(event=event))
    if not meetings:
        raise ValidationError(_("还没有任何洽谈安排。"))
    declines = list(MeetingPreference.objects.filter(event=event, kind=MeetingPreference.Kind.DECLINE)
                    .values_list("source_id", "target_id"))
    problems = scheduling.schedule_violations([_as_core(m) for m in meetings], slots=event.slot_count,
                                              tables=event.table_count, declines=declines)
    if problems:
        raise ValidationError(_("日程存在冲突：%(p)s") % {
            "p": "; ".join(problems)})
    schedule = _schedule_row(event)
    schedule.published_at = timezone.now()
    schedule.save(update_fields=["published_at"])
    emails.agenda_published(event)
    return schedule


@transaction.atomic
def unpublish_schedule(*, user: User, event: EventPage) -> EventSchedule:
    _organizer_only(user, event)
    schedule = _schedule_row(event)
    schedule.published_at = None
    schedule.save(update_fields=["published_at"])
    return schedule
