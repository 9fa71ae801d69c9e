"""Stripe Checkout for paid tickets, the signed webhook that marks them paid, and refunds.

Rules:
  * A registration becomes paid only through a webhook whose signature verifies
    (stripe.Webhook.construct_event with settings.STRIPE_WEBHOOK_SECRET); never from a browser redirect.
  * Webhooks are idempotent: the Stripe event id is stored in the same transaction as its effect, and
    each payment moves through its own state machine, so a repeated or out-of-order event changes
    state at most once.
  * Every money movement is a LedgerEntry (Decimal amount, currency, Stripe ids).
  * Money that arrives for a registration that no longer wants it (cancelled, rejected, paid twice)
    is refunded at once and logged (the events app decides that: it registers the checkout.session.*
    handlers with `register_webhook_handler`; this module knows payments, not registrations).
Amounts go to Stripe as integers in fen (分), computed from Decimal yuan.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import LedgerEntry, Payment, PaymentStatus, ProcessedStripeEvent
from .selectors import open_payment, refundable
from .states import MACHINE as PAYMENT_MACHINE

logger = logging.getLogger(__name__)
P = PaymentStatus
CURRENCY = "cny"
SESSION_LIFETIME = dt.timedelta(hours=2)  # seats stay held this long for an unpaid checkout
DEFAULT_METHODS = ("card", "alipay", "wechat_pay")


class PaymentServiceError(Exception):
    """Stripe could not be reached or refused a call. Views turn it into a message; nothing was recorded
    (the caller's transaction rolls back)."""


class PaymentsNotConfigured(PaymentServiceError):
    pass


def _stripe_call(what: str, call: Any) -> Any:
    """Run one Stripe request; a Stripe failure is logged with its details and raised as PaymentServiceError."""
    try:
        return call()
    except stripe.StripeError as error:
        logger.error("Stripe %s failed: %s", what, error)
        raise PaymentServiceError(f"Stripe {what} failed: {error}") from error


class BadWebhook(Exception):
    """The request is not a genuine, fresh Stripe event (bad or stale signature, garbled payload)."""


def stripe_client() -> stripe.StripeClient:
    """A client configured from settings for each call (tests point STRIPE_API_BASE at stripe-mock)."""
    if not settings.STRIPE_SECRET_KEY:
        raise PaymentsNotConfigured("STRIPE_SECRET_KEY is not set")
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else {}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, base_addresses=base, max_network_retries=2)


def to_fen(amount: Decimal) -> int:
    """Yuan (Decimal) to fen (int), refusing fractions of a fen rather than rounding money silently."""
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{amount} has fractions of a fen")
    return int(fen)


def from_fen(fen: int) -> Decimal:
    return (Decimal(int(fen)) / 100).quantize(Decimal("0.01"))


def payment_method_types() -> list[str]:
    # Alipay and WeChat Pay need the Stripe account to have them enabled; the setting narrows the list.
    return list(getattr(settings, "STRIPE_PAYMENT_METHOD_TYPES", DEFAULT_METHODS))


def _set_status(payment: Payment, target: str) -> None:
    # Saved by the caller, with the Stripe ids, amounts and times the move comes with.
    payment.status = PAYMENT_MACHINE.check(payment.status, target).target


# --------------------------------------------------------------------------------------------------
# Checkout

def open_checkout(*, registration, success_url: str, cancel_url: str) -> Payment:
    """A Checkout Session for a registration's total price (or its open one, on a second click). The
    caller (the events app, which knows who may pay and when a registration awaits payment) holds the
    registration's row lock, which serialises double clicks."""
    with transaction.atomic():
        existing = open_payment(registration)
        if existing is not None and existing.checkout_url:
            return existing
        amount = registration.total_price
        fen = to_fen(amount)
        expires_at = timezone.now() + SESSION_LIFETIME
        payment = Payment.objects.create(registration=registration, amount=amount, currency=CURRENCY,
                                         stripe_session_id=f"pending-{registration.pk}-{timezone.now().timestamp()}",
                                         expires_at=expires_at)
        methods = payment_method_types()
        params: dict[str, Any] = {
            "mode": "payment",
            "currency": CURRENCY,
            "payment_method_types": methods,
            "line_items": [{
                "quantity": registration.seats,
                "price_data": {"currency": CURRENCY, "unit_amount": to_fen(registration.unit_price),
                               "product_data": {"name": f"{registration.event.title} - {registration.ticket_name}"}},
            }],
            "client_reference_id": str(registration.pk),
            "customer_email": registration.contact_email,
            "metadata": {"registration_id": str(registration.pk), "payment_id": str(payment.pk)},
            "payment_intent_data": {"metadata": {"registration_id": str(registration.pk),
                                                 "payment_id": str(payment.pk)}},
            "success_url": success_url,
            "cancel_url": cancel_url,
            "expires_at": int(expires_at.timestamp()),
        }
        if "wechat_pay" in methods:
            params["payment_method_options"] = {"wechat_pay": {"client": "web"}}
        if fen != to_fen(registration.unit_price) * registration.seats:
            raise ValueError("line items do not add up to the amount")
        session = _stripe_call("checkout", lambda: stripe_client().v1.checkout.sessions.create(
            params=params, options={"idempotency_key": f"checkout-{payment.pk}"}))
        payment.stripe_session_id = session.id
        payment.checkout_url = session.url or ""
        payment.save(update_fields=["stripe_session_id", "checkout_url"])
        return payment


# --------------------------------------------------------------------------------------------------
# Refunds

def refund_payment(payment: Payment, amount: Decimal, *, reason: str,
                   stripe_event_id: str = "") -> LedgerEntry:
    """Refund part or all of one payment through Stripe and write the ledger row. The caller holds the
    transaction: if Stripe refuses, nothing is recorded."""
    refund = _stripe_refund(payment, amount, reason=reason)
    return _record_refund(payment, refund, reason=reason, stripe_event_id=stripe_event_id)


def _stripe_refund(payment: Payment, amount: Decimal, *, reason: str) -> Any:
    available = refundable(payment)
    if amount <= 0 or amount > available:
        raise ValidationError(f"refund of {amount} exceeds the refundable {available}")
    if payment.is_offline:
        # Money received by bank transfer or on site goes back the same way, by the organizer: the refund
        # is recorded, not sent to Stripe. The id is fixed by the payment's refund history, like Stripe's
        # idempotency key below, so a retried refund is recorded once.
        fen_before, fen = to_fen(payment.amount - available), to_fen(amount)
        return SimpleNamespace(id=f"offline-refund-{payment.pk}-{fen_before}-{fen}", amount=fen)
    if not payment.stripe_payment_intent_id:
        raise ValidationError(f"payment {payment.pk} has no PaymentIntent to refund")
    refunded_so_far = to_fen(payment.amount - available)
    return _stripe_call("refund", lambda: stripe_client().v1.refunds.create(
        params={"payment_intent": payment.stripe_payment_intent_id, "amount": to_fen(amount),
                "reason": "requested_by_customer",
                "metadata": {"registration_id": str(payment.registration_id), "payment_id": str(payment.pk),
                             "note": reason[:200]}},
        # Same payment, same point in its refund history, same amount: a retry cannot refund twice.
        options={"idempotency_key": f"refund-{payment.pk}-{refunded_so_far}-{to_fen(amount)}"}))


def _record_refund(payment: Payment, refund: Any, *, reason: str, stripe_event_id: str = "") -> LedgerEntry:
    entry = LedgerEntry.objects.create(
        payment=payment, registration_id=payment.registration_id, kind=LedgerEntry.Kind.REFUND,
        amount=from_fen(refund.amount),
        # A refund is always in the charge's currency (the payment's, as Stripe reported it when paid).
        currency=payment.currency.lower(),
        stripe_object_id=refund.id, stripe_session_id=payment.stripe_session_id,
        stripe_event_id=stripe_event_id, note=reason[:300])
    _set_status(payment, P.REFUNDED if refundable(payment) <= 0 else P.PARTIALLY_REFUNDED)
    payment.save(update_fields=["status"])
    logger.info("refunded %s %s for registration %s (%s)", entry.amount, entry.currency,
                payment.registration_id, reason)
    return entry


def refunded_total(registration_id: int) -> Decimal:
    from django.db.models import Sum

    total = LedgerEntry.objects.filter(registration_id=registration_id, kind=LedgerEntry.Kind.REFUND
                                       ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


def refund_outside_locks(registration_id: int, amount: Decimal, *, refunded_before: Decimal, reason: str
                         ) -> list[LedgerEntry]:
    """The worker's refund (payments.refund_registration task): Stripe is called with no transaction open and
    no row locked; each refund is then written in a short transaction that locks only its payment row.
    Safe to repeat (task retries): what is still owed is `amount` minus what was refunded since the request
    (`refunded_before` is the registration's refunded total when it was made), and Stripe's idempotency key
    returns the same refund for the same payment, history and amount, recorded once (unique ledger row)."""
    entries = []
    for payment in Payment.objects.filter(registration_id=registration_id,
                                          status__in=[P.PAID, P.PARTIALLY_REFUNDED]).order_by("-paid_at"):
        left = amount - (refunded_total(registration_id) - refunded_before)
        if left <= 0:
            break
        part = min(left, refundable(payment))
        if part <= 0:
            continue
        refund = _stripe_refund(payment, part, reason=reason)
        with transaction.atomic():
            locked = Payment.objects.select_for_update().get(pk=payment.pk)
            entry = (LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REFUND, stripe_object_id=refund.id).first()
                     or _record_refund(locked, refund, reason=reason))
        entries.append(entry)
    left = amount - (refunded_total(registration_id) - refunded_before)
    if left > 0:
        raise ValidationError(f"could not refund {left} of {amount} for registration {registration_id}")
    return entries


def refund_registration(registration, amount: Decimal, *, reason: str, stripe_event_id: str = ""
                        ) -> list[LedgerEntry]:
    """Refund `amount` across the registration's paid payments, newest first."""
    entries, left = [], amount
    for payment in Payment.objects.filter(registration=registration,
                                          status__in=[P.PAID, P.PARTIALLY_REFUNDED]).order_by("-paid_at"):
        if left <= 0:
            break
        part = min(left, refundable(payment))
        if part > 0:
            entries.append(refund_payment(payment, part, reason=reason, stripe_event_id=stripe_event_id))
            left -= part
    if left > 0:
        raise ValidationError(f"could not refund {left} of {amount} for registration {registration.pk}")
    return entries


# --------------------------------------------------------------------------------------------------
# Webhook

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


def payment_for_session(session: Any) -> Payment | None:
    """Our payment for a Stripe Checkout Session (by its id, else the payment id in its metadata)."""
    payment = Payment.objects.filter(stripe_session_id=session.get("id")).first()
    if payment is None:
        payment_id = (session.get("metadata") or {}).get("payment_id")
        if payment_id and str(payment_id).isdigit():
            payment = Payment.objects.filter(pk=int(payment_id)).first()
    return payment


def lock_payment(payment: Payment) -> Payment:
    """Lock the payment row. Lock order everywhere: the event row first (the caller's), then this one."""
    from django.db import connection

    qs = Payment.objects.select_related("registration__event")
    if connection.features.has_select_for_update_of:
        qs = qs.select_for_update(of=("self",))
    else:
        qs = qs.select_for_update()
    return qs.get(pk=payment.pk)


def record_session_payment(payment: Payment, session: Any, event_id: str) -> tuple[Decimal, str, bool]:
    """Record the money a paid Checkout Session brought: the payment becomes PAID and the ledger gets its
    charge. Returns (received, currency, mismatch): with a mismatch (not the amount or currency asked for)
    the payment is flagged and the caller refunds it instead of confirming anything."""
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
    return received, currency, mismatch


def expire_payment(payment: Payment) -> None:
    """The open checkout ended unpaid (the caller holds the payment's lock)."""
    _set_status(payment, P.EXPIRED)
    payment.save(update_fields=["status"])


EXPIRY_GRACE = dt.timedelta(minutes=10)  # Stripe's own "expired" webhook normally comes first


def expire_unpaid_checkouts(*, now: dt.datetime | None = None) -> int:
    """Beat's sweep (payments.expire_unpaid): checkouts still open well after their session expired (the webhook
    never came) are expired the way the webhook would: each is handed to the handler registered for
    `checkout.session.expired` (the events app's: the payment becomes EXPIRED and the registration's seats go
    back to the waiting list). Returns how many were expired."""
    handler = HANDLERS.get(CHECKOUT_EXPIRED)
    if handler is None:
        return 0
    cutoff = (now or timezone.now()) - EXPIRY_GRACE
    expired = 0
    for found in Payment.objects.filter(status=P.OPEN, expires_at__lt=cutoff):
        with transaction.atomic():
            handler({"id": found.stripe_session_id, "metadata": {"payment_id": str(found.pk)}}, "")
        found.refresh_from_db(fields=["status"])
        expired += found.status == P.EXPIRED  # not if paid by a webhook meanwhile
    return expired


CHECKOUT_EXPIRED = "checkout.session.expired"
# Stripe event type -> handler(obj, event_id). The events app registers the checkout.session.* handlers
# (a checkout pays for a registration, which payments does not know about); transfers its deposits'.
HANDLERS: dict[str, Any] = {}


def register_webhook_handler(event_type: str, handler: Any) -> None:
    """Apps above payments handle their own Stripe event types (the transfers app's held deposits) through
    this registry: the event is verified and recorded once here, then handed to `handler(obj, event_id)`."""
    existing = HANDLERS.get(event_type)
    if existing is not None and existing is not handler:
        raise ValueError(f"{event_type} already has a handler")
    HANDLERS[event_type] = handler
