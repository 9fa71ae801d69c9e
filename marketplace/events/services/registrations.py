"""Registering an organization's people for an event, and the organizer's and registrant's decisions on a
registration: approve, reject, cancel (each frees seats for the waiting list and refunds by the rule)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.permissions import is_bureau, is_member
from marketplace.core.one_time import SubmissionKey, claim_submission, remember_submission
from marketplace.core.states import TransitionRefused
from marketplace.listings.models import AchievementPage, DemandPage

from .. import checkin, emails
from ..models import EventPage, Participant, Registration, RegistrationLog, TicketType, WhenFull
from ..permissions import can_act_for_registration, can_manage_event
from ..selectors import seats_taken
from ..states import ACTIVE, RegistrationStatus
from .common import lock_event, lock_registration, organizer_only, transition
from .meeting_preferences import drop_meetings
from .refunds import refund_if_paid
from .waitlist import initial_status, promote_waitlist, status_after_approval

S = RegistrationStatus
MAX_PARTICIPANTS_PER_REGISTRATION = 20


class RegistrationRefused(ValidationError):
    """Registration is not possible (window closed, full, duplicate...): the message says why."""


@dataclass
class ParticipantData:
    name: str
    title: str = ""
    phone: str = ""
    email: str = ""


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
            status = _status_on_arrival(locked, ticket, seats=len(participants), organization=organization,
                                        now=now)
            registration = Registration.objects.create(
                event=locked, organization=organization, registered_by=user, ticket=ticket,
                ticket_name=ticket.name, unit_price=ticket.price, seats=len(participants), status=status,
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


def _status_on_arrival(locked: EventPage, ticket: TicketType, *, seats: int, organization: Organization,
                       now: dt.datetime) -> str:
    """The new registration's first status, or RegistrationRefused. The caller holds the event lock."""
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
    queue_exists = Registration.objects.filter(event=locked, status=S.WAITLISTED).exists()
    fits = seats_taken(locked) + seats <= locked.capacity
    if fits and not queue_exists:
        return initial_status(locked, ticket.price)
    if locked.when_full == WhenFull.WAITLIST:
        return S.WAITLISTED  # nobody overtakes the queue
    if queue_exists:
        # The same rule as the advertised seats (selectors.seats_left): the queue comes first.
        raise RegistrationRefused(_("名额已满：候补名单中的单位优先递补，不再接受新报名。"), code="full")
    left = max(0, locked.capacity - seats_taken(locked))
    raise RegistrationRefused(
        _("名额已满（剩余%(left)d个，需要%(need)d个）。") % {"left": left, "need": seats}, code="full")


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


@transaction.atomic
def approve(*, user: User, registration: Registration) -> Registration:
    organizer_only(user, registration.event)
    lock_event(registration.event)
    lock_registration(registration)
    if registration.status != S.PENDING_APPROVAL:
        raise TransitionRefused(_("只有待审核的报名可以通过。"))
    transition(registration, status_after_approval(registration), by=user, note="approved")
    return registration


@transaction.atomic
def reject(*, user: User, registration: Registration, reason: str = "") -> Registration:
    organizer_only(user, registration.event)
    event = lock_event(registration.event)
    lock_registration(registration)
    transition(registration, S.REJECTED, by=user, note=reason or "rejected")
    refund_if_paid(registration, by_organizer=True, reason=reason or "rejected by organizer")
    drop_meetings(registration)
    # Freed seats, or a new head of the queue that now fits.
    promote_waitlist(event, by=user)
    return registration


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
    transition(registration, S.CANCELLED, by=user,
               note=reason or ("cancelled by organizer" if by_organizer else "cancelled by registrant"))
    refunded = refund_if_paid(registration, by_organizer=by_organizer,
                              reason=reason or "registration cancelled", now=now)
    drop_meetings(registration)
    promote_waitlist(event, by=user)
    return refunded
