"""Every write of a pilot-base booking. Two confirmed bookings of one piece of equipment never overlap:
each move into a holding state locks the equipment row first (SELECT ... FOR UPDATE), so concurrent
confirmations of the same equipment run one after the other and the second sees the first."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from marketplace.core.one_time import claim_submission
from marketplace.listings.models import PilotBasePage

from . import selectors
from .models import Booking, Equipment
from .states import HOLDS_EQUIPMENT, MACHINE, BookingStatus, Side

B = BookingStatus


def equipment_for(base: PilotBasePage) -> list[Equipment]:
    """The base's bookable equipment: one row per line of the page's equipment list (created on first
    use); rows whose line left the page are retired."""
    names = base.equipment_list
    with transaction.atomic():
        existing = {e.name: e for e in Equipment.objects.filter(base=base)}
        for name in names:
            if name not in existing:
                existing[name], _created = Equipment.objects.get_or_create(base=base, name=name)
        for name, row in existing.items():
            retired = name not in names
            if row.retired != retired:
                row.retired = retired
                row.save(update_fields=["retired"])
    return [existing[name] for name in names]


def _check_dates(start: date, end: date) -> None:
    if start < timezone.localdate():
        raise ValidationError({"start_date": _("开始日期不能早于今天。")})


def _check_free(booking: Booking) -> None:
    """Called with the equipment row locked."""
    clash = (Booking.objects.filter(equipment_id=booking.equipment_id, status__in=sorted(HOLDS_EQUIPMENT),
                                    start_date__lte=booking.end_date, end_date__gte=booking.start_date)
             .exclude(pk=booking.pk).order_by("start_date").first())
    if clash is not None:
        raise ValidationError(_("该设备在 %(start)s 至 %(end)s 已有确认的预约，请另选日期。") % {
            "start": clash.start_date.isoformat(), "end": clash.end_date.isoformat()})


@transaction.atomic
def request_booking(*, user: User, base: PilotBasePage, enterprise: Organization, equipment: Equipment,
                    start_date: date, end_date: date, material: str, quantity: str, note: str = "",
                    submission_token: str | None = None) -> Booking:
    if not selectors.requesting_organizations(user, base).filter(pk=enterprise.pk).exists():
        raise PermissionDenied(_("只有已认证企业的成员才能预约中试。"))
    if equipment.base_id != base.pk or equipment.retired:
        raise ValidationError({"equipment": _("请选择本基地的设备。")})
    _check_dates(start_date, end_date)
    claim_submission(submission_token, user)
    booking = Booking(base=base, equipment=equipment, enterprise=enterprise, operator=base.organization,
                      requested_by=user, requested_start=start_date, requested_end=end_date,
                      start_date=start_date, end_date=end_date, material=material.strip(),
                      quantity=quantity.strip(), note=note.strip())
    booking.full_clean()
    booking.save()
    return booking


def _locked(booking: Booking, user: User, target: str) -> Booking:
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    side = MACHINE.check(booking.status, target).by
    # The other side of the booking is not refused a move but denied it: it is not theirs to make.
    if selectors.side_in_booking(user, booking) != side:
        raise PermissionDenied(_("这一步由%(side)s操作。") % {"side": Side(side).label})
    return booking


def _hold(booking: Booking) -> None:
    Equipment.objects.select_for_update().get(pk=booking.equipment_id)
    _check_free(booking)
    booking.status = B.CONFIRMED
    booking.confirmed_at = timezone.now()
    booking.save(update_fields=["status", "confirmed_at", "start_date", "end_date", "answer"])


@transaction.atomic
def confirm(*, user: User, booking: Booking, answer: str = "") -> Booking:
    """The operator confirms the dates asked for."""
    booking = _locked(booking, user, B.CONFIRMED)
    if booking.status != B.REQUESTED:
        raise PermissionDenied(_("基地建议的日期由预约企业确认。"))
    booking.answer = answer.strip()
    _hold(booking)
    return booking


@transaction.atomic
def accept_proposal(*, user: User, booking: Booking) -> Booking:
    """The enterprise accepts the dates the operator proposed."""
    booking = _locked(booking, user, B.CONFIRMED)
    if booking.status != B.PROPOSED:
        raise PermissionDenied(_("只有基地运营方可以确认预约。"))
    _hold(booking)
    return booking


@transaction.atomic
def propose(*, user: User, booking: Booking, start_date: date, end_date: date, answer: str = "") -> Booking:
    booking = _locked(booking, user, B.PROPOSED)
    _check_dates(start_date, end_date)
    booking.start_date, booking.end_date = start_date, end_date
    booking.answer = answer.strip()
    booking.status = B.PROPOSED
    booking.full_clean()
    booking.save(update_fields=["status", "start_date", "end_date", "answer"])
    return booking


@transaction.atomic
def decline(*, user: User, booking: Booking, reason: str) -> Booking:
    booking = _locked(booking, user, B.DECLINED)
    booking.status = B.DECLINED
    booking.answer = reason.strip()
    booking.full_clean()
    booking.save(update_fields=["status", "answer"])
    return booking


@transaction.atomic
def mark_done(*, user: User, booking: Booking) -> Booking:
    booking = _locked(booking, user, B.DONE)
    if booking.start_date > timezone.localdate():
        raise ValidationError(_("中试尚未开始，不能标记为已完成。"))
    booking.status = B.DONE
    booking.done_at = timezone.now()
    booking.save(update_fields=["status", "done_at"])
    return booking
