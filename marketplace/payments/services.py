"""The calls we make to Stripe: Checkout for paid tickets, and refunds. What Stripe tells us back (the signed
webhook that marks a payment paid, expiry) is webhooks.py.

Rules:
  * A registration becomes paid only through a webhook whose signature verifies (webhooks.py); never from a
    browser redirect.
  * Every money movement is a LedgerEntry (Decimal amount, currency, Stripe ids).
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
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PAYMENT_TRANSITIONS, LedgerEntry, Payment, PaymentStatus
from .payers import payer
from .selectors import open_payment, refundable

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
    if target not in PAYMENT_TRANSITIONS[payment.status]:
        raise ValidationError(f"payment {payment.pk}: {payment.status} -> {target} is not allowed")
    payment.status = target


# --------------------------------------------------------------------------------------------------
# Checkout

def start_checkout(*, user, registration, success_url: str, cancel_url: str) -> Payment:
    """A Checkout Session for a registration waiting for payment (or the open one, on a second click)."""
    if not payer().may_pay(user, registration):
        raise PermissionDenied(_("无权为此报名付款。"))
    with transaction.atomic():
        # Serialises double clicks on this registration only; the event row is not held during the call.
        locked = type(registration).objects.select_for_update().get(pk=registration.pk)
        if not payer().awaiting_payment(locked):
            raise ValidationError(_("该报名当前无需付款（状态：%(s)s）。") % {"s": locked.get_status_display()})
        existing = open_payment(locked)
        if existing is not None and existing.checkout_url:
            return existing
        amount = locked.total_price
        fen = to_fen(amount)
        expires_at = timezone.now() + SESSION_LIFETIME
        payment = Payment.objects.create(registration=locked, amount=amount, currency=CURRENCY,
                                         stripe_session_id=f"pending-{locked.pk}-{timezone.now().timestamp()}",
                                         expires_at=expires_at)
        methods = payment_method_types()
        params: dict[str, Any] = {
            "mode": "payment",
            "currency": CURRENCY,
            "payment_method_types": methods,
            "line_items": [{
                "quantity": locked.seats,
                "price_data": {"currency": CURRENCY, "unit_amount": to_fen(locked.unit_price),
                               "product_data": {"name": f"{locked.event.title} - {locked.ticket_name}"}},
            }],
            "client_reference_id": str(locked.pk),
            "customer_email": locked.contact_email,
            "metadata": {"registration_id": str(locked.pk), "payment_id": str(payment.pk)},
            "payment_intent_data": {"metadata": {"registration_id": str(locked.pk),
                                                 "payment_id": str(payment.pk)}},
            "success_url": success_url,
            "cancel_url": cancel_url,
            "expires_at": int(expires_at.timestamp()),
        }
        if "wechat_pay" in methods:
            params["payment_method_options"] = {"wechat_pay": {"client": "web"}}
        if fen != to_fen(locked.unit_price) * locked.seats:
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
