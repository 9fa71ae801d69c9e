"""The registration state machine: statuses and every allowed transition, in one place.

    pending_approval ─┬─> pending_payment ─┬─> confirmed ──> checked_in
          ▲           ├─> confirmed        ├─> cancelled
          │           ├─> rejected         └─> rejected
      waitlisted ─────┴─> cancelled
      (─> pending_approval / pending_payment / confirmed when a seat frees, FIFO; or rejected / cancelled)
    confirmed ──> cancelled (a refund follows the event's rule; see services.refunds.refund_due)

Seat-holding statuses count against the event's capacity; waitlisted ones wait for a seat.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.core.states import StateMachine


class RegistrationStatus(models.TextChoices):
    PENDING_APPROVAL = "pending_approval", _("待审核")
    PENDING_PAYMENT = "pending_payment", _("待支付")
    CONFIRMED = "confirmed", _("已确认")
    WAITLISTED = "waitlisted", _("候补中")
    CHECKED_IN = "checked_in", _("已签到")
    CANCELLED = "cancelled", _("已取消")
    REJECTED = "rejected", _("未通过")


S = RegistrationStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING_APPROVAL: frozenset({S.PENDING_PAYMENT, S.CONFIRMED, S.REJECTED, S.CANCELLED}),
    S.WAITLISTED: frozenset({S.PENDING_APPROVAL, S.PENDING_PAYMENT, S.CONFIRMED, S.REJECTED, S.CANCELLED}),
    S.PENDING_PAYMENT: frozenset({S.CONFIRMED, S.REJECTED, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.CHECKED_IN, S.CANCELLED}),
    S.CHECKED_IN: frozenset(),
    S.CANCELLED: frozenset(),
    S.REJECTED: frozenset(),
}

# Statuses that take seats (capacity counts their participants).
SEAT_HOLDING = frozenset({S.PENDING_APPROVAL, S.PENDING_PAYMENT, S.CONFIRMED, S.CHECKED_IN})
# Statuses in which an organization counts as registered (one such registration per event).
ACTIVE = SEAT_HOLDING | {S.WAITLISTED}
# Statuses that take part in the meeting schedule.
ATTENDING = frozenset({S.CONFIRMED, S.CHECKED_IN})
# Statuses from which the registrant may still cancel.
CANCELLABLE = frozenset(s for s, targets in TRANSITIONS.items() if S.CANCELLED in targets)


# The one guard every status change goes through (services.common.transition applies it and logs the move
# as a RegistrationLog row). "报名状态" so refusals read "报名状态不能从“已取消”变为“已确认”。".
MACHINE = StateMachine(RegistrationStatus, TRANSITIONS, noun=_("报名状态"))


def can_transition(current: str, target: str) -> bool:
    return MACHINE.can(current, target)


def offer_window() -> dt.timedelta:
    """How long a seat offered from the waiting list is held for payment (offers.py lapses it, the mail states it)."""
    return dt.timedelta(hours=getattr(settings, "WAITLIST_OFFER_HOURS", 48))
