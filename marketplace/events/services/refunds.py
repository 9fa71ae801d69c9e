"""Refunds when a registration is cancelled or rejected: how much of what was paid goes back (the
event's rule), and handing that refund to the payments app (in the worker, or here without one)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from jobs.services import tasks_run_in_process
from marketplace.payments.selectors import net_paid
from marketplace.payments.services import refund_registration
from marketplace.payments.tasks import request_refund

from ..models import Registration


def refund_due(registration: Registration, *, by_organizer: bool, now: dt.datetime | None = None) -> Decimal:
    """How much of what was paid goes back: all of it when the organizer cancels; when the registrant
    cancels, all of it until `refund_full_days_before` days before the start, nothing after."""
    paid = net_paid(registration)
    if paid <= 0:
        return Decimal("0")
    if by_organizer:
        return paid
    now = now or timezone.now()
    deadline = registration.event.starts_at - dt.timedelta(days=registration.event.refund_full_days_before)
    return paid if now <= deadline else Decimal("0")


def refund_if_paid(registration: Registration, *, by_organizer: bool, reason: str,
                   now: dt.datetime | None = None) -> Decimal:
    """Refund what `refund_due` says; returns the amount."""
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
