"""The waiting list: which status a registration starts in (or moves to once a seat frees up), and
filling freed seats from the queue, strictly first come, first served."""

from __future__ import annotations

from decimal import Decimal

from accounts.models import User

from ..models import EventPage, Registration
from ..selectors import seats_taken
from ..states import RegistrationStatus
from .common import transition

S = RegistrationStatus


def initial_status(event: EventPage, price: Decimal) -> str:
    """The status of a registration that got a seat: organizer review first, then payment if any."""
    if event.requires_approval:
        return S.PENDING_APPROVAL
    return S.PENDING_PAYMENT if price > 0 else S.CONFIRMED


def status_after_approval(registration: Registration) -> str:
    return S.PENDING_PAYMENT if registration.is_paid_ticket else S.CONFIRMED


def promote_waitlist(event: EventPage, *, by: User | None = None) -> list[Registration]:
    """Fill freed seats from the waiting list in arrival order. Strictly first come, first served: when
    the head of the queue does not fit, nobody behind it moves up. The caller holds the event lock."""
    promoted = []
    free = event.capacity - seats_taken(event)
    for registration in Registration.objects.filter(event=event, status=S.WAITLISTED).order_by(
            "waitlisted_at", "pk"):
        if registration.seats > free:
            break
        target = S.PENDING_APPROVAL if event.requires_approval else status_after_approval(registration)
        transition(registration, target, by=by, note="promoted from the waiting list")
        free -= registration.seats
        promoted.append(registration)
    return promoted
