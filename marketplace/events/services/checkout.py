"""Paying for a seat, seen from the registration: starting a Stripe Checkout, the checkout webhooks that
confirm a registration or release its seats (registered with the payments app's webhook registry, which
verifies each Stripe event and records it once), and confirming a registration whose money arrived.

The payments app records the money (payments, ledger, refunds); this module decides what it means for the
registration. Lock order everywhere: the event row, then the registration or payment row."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.payments import services as payments
from marketplace.payments.models import Payment, PaymentStatus
from marketplace.payments.selectors import has_open_or_paid_payment

from ..models import Registration, RegistrationLog
from ..permissions import can_act_for_registration
from ..states import RegistrationStatus
from .common import lock_event, lock_registration, transition
from .waitlist import promote_waitlist

logger = logging.getLogger(__name__)
S = RegistrationStatus
P = PaymentStatus


def start_checkout(*, user: User, registration: Registration, success_url: str, cancel_url: str) -> Payment:
    """A Stripe Checkout for a registration waiting for payment (or its open one, on a second click)."""
    if not can_act_for_registration(user, registration):
        raise PermissionDenied(_("无权为此报名付款。"))
    with transaction.atomic():
        # Serialises double clicks on this registration only; the event row is not held during the call.
        locked = lock_registration(registration)
        if locked.status != S.PENDING_PAYMENT:
            raise ValidationError(_("该报名当前无需付款（状态：%(s)s）。") % {"s": locked.get_status_display()})
        return payments.open_checkout(registration=locked, success_url=success_url, cancel_url=cancel_url)


def mark_paid(registration: Registration, *, by: User | None = None, note: str = "paid (Stripe webhook)"
              ) -> bool:
    """A verified payment arrived. True if it confirmed the registration; False if the registration no
    longer wants the money (cancelled, rejected, already paid): the caller refunds it. The caller holds
    the event lock."""
    lock_registration(registration)
    if registration.status != S.PENDING_PAYMENT:
        return False
    transition(registration, S.CONFIRMED, by=by, note=note)
    return True


def payment_expired(registration: Registration) -> None:
    """The checkout session expired unpaid: release the seats, unless another payment is still open. The
    caller holds the event lock."""
    lock_registration(registration)
    if registration.status != S.PENDING_PAYMENT or has_open_or_paid_payment(registration):
        return
    transition(registration, S.CANCELLED, note="payment window expired")
    promote_waitlist(registration.event)


# --------------------------------------------------------------------------------------------------
# Stripe's checkout webhooks (each runs inside payments.handle_webhook's transaction)

def _lock(payment: Payment) -> Payment:
    lock_event(payment.registration.event)
    return payments.lock_payment(payment)


def _log_note(registration: Registration, note: str) -> None:
    """A log row that records what happened to the registration's money without changing its status."""
    RegistrationLog.objects.create(registration=registration, from_status=registration.status,
                                   to_status=registration.status, note=note[:300])


def session_completed(session: Any, event_id: str) -> str:
    if session.get("payment_status") not in ("paid", "no_payment_required"):
        # Asynchronous methods complete the session before the money arrives: wait for
        # checkout.session.async_payment_succeeded.
        return "session completed, payment still pending"
    return session_paid(session, event_id)


def session_paid(session: Any, event_id: str) -> str:
    found = payments.payment_for_session(session)
    if found is None:
        logger.warning("Stripe session %s is not one of ours (event %s)", session.get("id"), event_id)
        return "unknown session, ignored"
    payment = _lock(found)
    if payment.status in (P.PAID, P.PARTIALLY_REFUNDED, P.REFUNDED):
        return "payment already recorded"
    received, currency, mismatch = payments.record_session_payment(payment, session, event_id)
    registration = payment.registration
    if mismatch:
        return _refund_mismatch(payment, received, currency, event_id)
    if mark_paid(registration):
        return "paid, registration confirmed"
    # Nobody wants this money any more (cancelled, rejected, or paid twice): give it back at once.
    if received > 0:
        payments.refund_payment(payment, received, stripe_event_id=event_id,
                                reason=f"registration is {registration.status}: automatic refund")
    _log_note(registration, f"payment {payment.stripe_session_id} arrived while {registration.status}; "
                            f"refunded {received} {currency}")
    logger.warning("payment %s for registration %s (%s) refunded automatically", payment.pk,
                   registration.pk, registration.status)
    return f"paid while {registration.status}, refunded automatically"


def _refund_mismatch(payment: Payment, received: Decimal, currency: str, event_id: str) -> str:
    """Money that is not what was asked for confirms nothing. We refund it at once rather than hold it for
    review: the platform has no one to review payments, keeping a visitor's money without a confirmed seat
    is the worse failure, and the registrant can simply pay the right amount again (the registration stays
    waiting for payment). The organizer sees the flag on the registration; the ledger shows both moves."""
    registration = payment.registration
    if received > 0:
        payments.refund_payment(payment, received, reason="amount or currency mismatch: automatic refund",
                                stripe_event_id=event_id)
    registration.refresh_from_db()
    _log_note(registration, payment.flagged_reason)
    return f"amount or currency mismatch ({received} {currency}), not confirmed, refunded"


def session_expired(session: Any, event_id: str) -> str:
    """Also what payments' sweep (expire_unpaid_checkouts) calls for a checkout whose webhook never came."""
    found = payments.payment_for_session(session)
    if found is None:
        return "unknown session, ignored"
    payment = _lock(found)
    if payment.status != P.OPEN:
        return f"payment is {payment.status}; expiry ignored"
    payments.expire_payment(payment)
    payment_expired(payment.registration)
    return "checkout expired unpaid"


WEBHOOK_HANDLERS = {
    "checkout.session.completed": session_completed,
    "checkout.session.async_payment_succeeded": session_paid,
    "checkout.session.async_payment_failed": session_expired,
    payments.CHECKOUT_EXPIRED: session_expired,
}
