"""Every pair of booking states: the moves in states.py happen through the services when the side the
table names makes them, are refused for the other side, and every other pair is refused and leaves the
booking as it was."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from marketplace.bookings import services, states
from marketplace.bookings.models import Booking
from marketplace.bookings.states import BookingStatus, Side

from .builders import move_into_the_past, request, soon, world

pytestmark = pytest.mark.django_db
B = BookingStatus


def test_the_table_is_what_the_product_promises():
    assert {(row.source, row.target): row.by for row in states.MACHINE.transitions} == {
        (B.REQUESTED, B.CONFIRMED): Side.OPERATOR,
        (B.REQUESTED, B.PROPOSED): Side.OPERATOR,
        (B.REQUESTED, B.DECLINED): Side.OPERATOR,
        (B.PROPOSED, B.CONFIRMED): Side.ENTERPRISE,
        (B.PROPOSED, B.DECLINED): Side.ENTERPRISE,
        (B.CONFIRMED, B.DONE): Side.OPERATOR,
    }


def _booking_at(w, status: str) -> Booking:
    booking = request(w)
    if status == B.PROPOSED:
        services.propose(user=w.operator, booking=booking, start_date=soon(20), end_date=soon(21))
    elif status in (B.CONFIRMED, B.DONE):
        services.confirm(user=w.operator, booking=booking)
    elif status == B.DECLINED:
        services.decline(user=w.operator, booking=booking, reason="设备检修")
    if status == B.DONE:
        services.mark_done(user=w.operator, booking=move_into_the_past(booking))
    booking.refresh_from_db()
    assert booking.status == status
    return booking


def _attempt(w, user, booking: Booking, target: str) -> None:
    if target == B.CONFIRMED:
        if booking.status == B.PROPOSED:
            services.accept_proposal(user=user, booking=booking)
        else:
            services.confirm(user=user, booking=booking)
    elif target == B.PROPOSED:
        services.propose(user=user, booking=booking, start_date=soon(30), end_date=soon(31))
    elif target == B.DECLINED:
        services.decline(user=user, booking=booking, reason="日期不合适")
    elif target == B.DONE:
        move_into_the_past(booking)
        services.mark_done(user=user, booking=booking)
    else:
        raise AssertionError(f"no action leads to {target}")


@pytest.mark.parametrize(("current", "target"),
                         [p for p in itertools.product(B.values, B.values) if p[1] != B.REQUESTED])
def test_every_move(current, target, site):
    w = world()
    booking = _booking_at(w, current)
    side = states.MACHINE.row(current, target).by if states.MACHINE.can(current, target) else None
    sides = {Side.OPERATOR: w.operator, Side.ENTERPRISE: w.asker}
    if side is None:
        for user in sides.values():
            with pytest.raises((ValidationError, PermissionDenied)):
                _attempt(w, user, booking, target)
            booking.refresh_from_db()
            assert booking.status == current, f"{current} → {target} must be refused"
        return
    other = w.asker if side == Side.OPERATOR else w.operator
    with pytest.raises(PermissionDenied):
        _attempt(w, other, booking, target)
    booking.refresh_from_db()
    assert booking.status == current, f"{current} → {target} is the {side}'s move only"
    _attempt(w, sides[side], booking, target)
    booking.refresh_from_db()
    assert booking.status == target


def test_nothing_moves_a_booking_back_to_requested():
    assert not any(states.MACHINE.can(s, B.REQUESTED) for s in B.values)


def test_a_refused_move_says_what_the_booking_already_is():
    with pytest.raises(ValidationError) as refused:
        states.MACHINE.check(B.DECLINED, B.CONFIRMED)
    assert refused.value.messages == ["这条预约已是“已婉拒”，不能再改为“已确认”。"]


def test_accepting_a_proposal_books_the_proposed_dates_and_keeps_the_first_ones(site):
    w = world()
    booking = request(w, start=10, end=12)
    services.propose(user=w.operator, booking=booking, start_date=soon(20), end_date=soon(22),
                     answer="10日设备检修，建议顺延")
    services.accept_proposal(user=w.asker, booking=booking)
    booking.refresh_from_db()
    assert (booking.start_date, booking.end_date) == (soon(20), soon(22))
    assert (booking.requested_start, booking.requested_end) == (soon(10), soon(12))


def test_a_decline_needs_a_reason(site):
    w = world()
    booking = request(w)
    with pytest.raises(ValidationError) as error:
        services.decline(user=w.operator, booking=booking, reason="  ")
    assert "请填写婉拒原因。" in error.value.messages
    booking.refresh_from_db()
    assert booking.status == B.REQUESTED


def test_a_run_that_has_not_begun_cannot_be_done(site):
    w = world()
    booking = request(w)
    services.confirm(user=w.operator, booking=booking)
    with pytest.raises(ValidationError, match="中试尚未开始"):
        services.mark_done(user=w.operator, booking=booking)
