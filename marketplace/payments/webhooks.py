"""What Stripe tells us: the signed webhook that marks a payment paid (or expired), and the sweep that stands in
for an expiry webhook that never came.

Rules:
  * A registration becomes paid only through a webhook whose signature verifies
    (stripe.Webhook.construct_event with settings.STRIPE_WEBHOOK_SECRET); never from a browser redirect.
  * Webhooks are idempotent: the Stripe event id is stored in the same transaction as its effect, and
    each payment moves through its own state machine, so a repeated or out-of-order event changes
    state at most once.
  * Money that arrives for a registration that no longer wants it (cancelled, rejected, paid twice)
    is refunded at once and logged.
The registration itself is confirmed, released and logged by its own app, through payers.payer().
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

import stripe
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import LedgerEntry, Payment, PaymentStatus, ProcessedStripeEvent
from .payers import payer
from .services import PaymentsNotConfigured, _set_status, from_fen, refund_payment

logger = logging.getLogger(__name__)
P = PaymentStatus


class BadWebhook(Exception):
    """The request is not a genuine, fresh Stripe event (bad or stale signature, garbled payload)."""


def verify_webhook(payload: bytes, signature: str | None) -> stripe.Event:
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise PaymentsNotConfigured("STRIPE_WEBHOOK_SECRET is not set")
    if not signature:
        raise BadWebhook("missing Stripe-Signature header")
    try:
        return stripe.Webhook.construct_event(payload, signature, secret)
    except stripe.SignatureVerificationError as error:
        raise BadWebhook(f"signature verification failed: {error.user_message or error}") from error
    except ValueError as error:
        raise BadWebhook(f"payload is not a Stripe event: {error}") from error


def handle_webhook(payload: bytes, signature: str | None) -> str:
    """Verify and apply one Stripe event. Returns what happened (for the response and the log).
    Raises BadWebhook (-> 400) or, when Stripe itself fails during a refund, PaymentServiceError
    (-> 503, the transaction rolls back and Stripe retries the delivery)."""
    event = verify_webhook(payload, signature)
    handler = HANDLERS.get(event.type)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = ProcessedStripeEvent.objects.create(event_id=event.id, type=event.type)
        except IntegrityError:
            return "duplicate event, already processed"
        # StripeObject is not a dict in stripe>=13: handlers read a plain dict copy.
        obj = event.to_dict()["data"]["object"]
        outcome = handler(obj, event.id) if handler else f"ignored {event.type}"
        record.outcome = outcome[:200]
        record.save(update_fields=["outcome"])
        return outcome


def _payment_for_session(session: Any) -> Payment | None:
    payment = Payment.objects.filter(stripe_session_id=session.get("id")).first()
    if payment is None:
        payment_id = (session.get("metadata") or {}).get("payment_id")
        if payment_id and str(payment_id).isdigit():
            payment = Payment.objects.filter(pk=int(payment_id)).first()
    return payment


def _lock(payment: Payment) -> Payment:
    """Lock order everywhere: the registration's owner (the event row), then the payment row."""
    payer().lock(payment.registration)
    qs = Payment.objects.select_related("registration__event")
    if connection.features.has_select_for_update_of:
        qs = qs.select_for_update(of=("self",))
    else:
        qs = qs.select_for_update()
    return qs.get(pk=payment.pk)


def _session_completed(session: Any, event_id: str) -> str:
    if session.get("payment_status") not in ("paid", "no_payment_required"):
        # Asynchronous methods complete the session before the money arrives: wait for
        # checkout.session.async_payment_succeeded.
        return "session completed, payment still pending"
    return _session_paid(session, event_id)


def _session_paid(session: Any, event_id: str) -> str:
    found = _payment_for_session(session)
    if found is None:
        logger.warning("Stripe session %s is not one of ours (event %s)", session.get("id"), event_id)
        return "unknown session, ignored"
    payment = _lock(found)
    if payment.status in (P.PAID, P.PARTIALLY_REFUNDED, P.REFUNDED):
        return "payment already recorded"
    currency = (session.get("currency") or payment.currency).lower()
    total = session.get("amount_total")
    received = from_fen(total) if total is not None else payment.amount
    mismatch = received != payment.amount or currency != payment.currency
    if mismatch:
        logger.error("payment %s: Stripe reports %s %s, expected %s %s; not accepted, refunding", payment.pk,
                     received, currency, payment.amount, payment.currency)
        payment.flagged_reason = (f"收到 {received} {currency.upper()}，应付 {payment.amount} "
                                  f"{payment.currency.upper()}：金额或币种不符，未确认报名，已全额退回")[:300]
    _set_status(payment, P.PAID)
    payment.paid_at = timezone.now()
    payment.stripe_payment_intent_id = session.get("payment_intent") or payment.stripe_payment_intent_id
    payment.currency = currency
    payment.save(update_fields=["status", "paid_at", "stripe_payment_intent_id", "currency", "flagged_reason"])
    if received > 0:
        LedgerEntry.objects.create(
            payment=payment, registration_id=payment.registration_id, kind=LedgerEntry.Kind.CHARGE,
            amount=received, currency=currency,
            stripe_object_id=payment.stripe_payment_intent_id or payment.stripe_session_id,
            stripe_session_id=payment.stripe_session_id, stripe_event_id=event_id, note="checkout paid")
    registration = payment.registration
    if mismatch:
        return _refund_mismatch(payment, received, currency, event_id)
    if payer().paid(registration):
        return "paid, registration confirmed"
    # Nobody wants this money any more (cancelled, rejected, or paid twice): give it back at once.
    if received > 0:
        refund_payment(payment, received, reason=f"registration is {registration.status}: automatic refund",
                       stripe_event_id=event_id)
    payer().note(registration, f"payment {payment.stripe_session_id} arrived while "
                               f"{registration.status}; refunded {received} {currency}")
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
        refund_payment(payment, received, reason="amount or currency mismatch: automatic refund",
                       stripe_event_id=event_id)
    registration.refresh_from_db()
    payer().note(registration, payment.flagged_reason)
    return f"amount or currency mismatch ({received} {currency}), not confirmed, refunded"


EXPIRY_GRACE = dt.timedelta(minutes=10)  # Stripe's own "expired" webhook normally comes first


def expire_unpaid_checkouts(*, now: dt.datetime | None = None) -> int:
    """Beat's sweep (payments.expire_unpaid): checkouts still open well after their session expired (the webhook
    never came) are expired the way the webhook would: the payment becomes EXPIRED and the registration's
    seats go back to the waiting list. Returns how many were expired."""
    cutoff = (now or timezone.now()) - EXPIRY_GRACE
    expired = 0
    for found in Payment.objects.filter(status=P.OPEN, expires_at__lt=cutoff).select_related("registration__event"):
        with transaction.atomic():
            payment = _lock(found)
            if payment.status != P.OPEN:
                continue  # paid or expired by a webhook meanwhile
            _set_status(payment, P.EXPIRED)
            payment.save(update_fields=["status"])
            payer().expired(payment.registration)
            expired += 1
    return expired


def _session_expired(session: Any, event_id: str) -> str:
    found = _payment_for_session(session)
    if found is None:
        return "unknown session, ignored"
    payment = _lock(found)
    if payment.status != P.OPEN:
        return f"payment is {payment.status}; expiry ignored"
    _set_status(payment, P.EXPIRED)
    payment.save(update_fields=["status"])
    payer().expired(payment.registration)
    return "checkout expired unpaid"


HANDLERS = {
    "checkout.session.completed": _session_completed,
    "checkout.session.async_payment_succeeded": _session_paid,
    "checkout.session.async_payment_failed": _session_expired,
    "checkout.session.expired": _session_expired,
}


def register_webhook_handler(event_type: str, handler: Any) -> None:
    """Apps above payments handle their own Stripe event types (the transfers app's held deposits) through
    this registry: the event is verified and recorded once here, then handed to `handler(obj, event_id)`."""
    existing = HANDLERS.get(event_type)
    if existing is not None and existing is not handler:
        raise ValueError(f"{event_type} already has a handler")
    HANDLERS[event_type] = handler
