"""Check-in at the event: by a participant's QR code (a signed token) or short code, within the check-in
window, once per participant; the first check-in moves a confirmed registration to checked in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .. import checkin as codes
from ..models import EventPage, Participant
from ..states import ATTENDING, RegistrationStatus
from .common import lock_registration, organizer_only, transition

S = RegistrationStatus


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
def check_in(*, user: User, participant: Participant, now: dt.datetime | None = None) -> CheckInResult:
    """`now` is the desk's clock; only the demo loader, recording past events' attendance, passes another."""
    # The same row lock as cancel/reject: a check-in waits for a running cancellation and then sees
    # "cancelled"; a cancellation waits for a running check-in and then sees "checked in".
    registration = lock_registration(participant.registration)
    organizer_only(user, registration.event)
    participant.refresh_from_db()
    if registration.status not in ATTENDING:
        raise ValidationError(_("该报名状态为“%(s)s”，不能签到。") % {"s": registration.get_status_display()})
    if participant.checked_in_at:
        return CheckInResult(participant, already=True)
    now = now or timezone.now()
    _check_in_window_open(registration.event, now)
    participant.checked_in_at = now
    participant.checked_in_by = user
    participant.save(update_fields=["checked_in_at", "checked_in_by"])
    if registration.status == S.CONFIRMED:
        transition(registration, S.CHECKED_IN, by=user, note=f"check-in: {participant.name}")
    return CheckInResult(participant, already=False)


def check_in_by_code(*, user: User, event: EventPage, code: str) -> CheckInResult:
    organizer_only(user, event)
    participant = Participant.objects.filter(registration__event=event,
                                             checkin_code=codes.normalize_code(code)).first()
    if participant is None:
        raise ValidationError(_("签到码无效或不属于本活动。"))
    return check_in(user=user, participant=participant)


def participant_from_token(token: str) -> Participant:
    try:
        participant_id, code = codes.read_token(token)
    except (signing.BadSignature, KeyError, ValueError, TypeError):
        raise ValidationError(_("二维码无效。")) from None
    participant = Participant.objects.select_related("registration__event").filter(
        pk=participant_id, checkin_code=code).first()
    if participant is None:
        raise ValidationError(_("二维码对应的参会人不存在。"))
    return participant
