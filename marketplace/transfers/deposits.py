"""Deposits (保证金): a Stripe PaymentIntent with capture_method=manual, started through Stripe Checkout
(the page's CSP allows no third-party script, so the card is entered on Stripe's page).

* The deposit counts as held only when Stripe's signed webhook payment_intent.amount_capturable_updated
  says so (verified and recorded once by marketplace.payments.services.handle_webhook).
* Settling at the close: losers' intents are cancelled (the hold is released), the winner's is captured
  (it becomes part of the price); an upheld objection refunds the captured deposit.
* Every call carries an idempotency key, so a retried close cannot move money twice.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone

from marketplace.payments.services import CURRENCY, _stripe_call, from_fen, stripe_client, to_fen

from .models import BidderRegistration, DepositEntry
from .states import DEPOSIT_MACHINE, OPEN_FOR_BIDS, D

logger = logging.getLogger(__name__)


def move_deposit(bidder: BidderRegistration, target: str) -> None:
    # Saved by the caller, with the Stripe ids and times the move comes with.
    bidder.deposit_state = DEPOSIT_MACHINE.check(bidder.deposit_state, target).target


def start_checkout(bidder: BidderRegistration, *, success_url: str, cancel_url: str) -> BidderRegistration:
    """A Checkout Session whose PaymentIntent only authorises the deposit (capture_method=manual)."""
    listing = bidder.listing
    attempt = DepositEntry.objects.filter(bidder=bidder).count()
    session = _stripe_call("deposit checkout", lambda: stripe_client().v1.checkout.sessions.create(params={
        "mode": "payment",
        "currency": CURRENCY,
        "payment_method_types": ["card"],  # wallets cannot authorise now and capture later
        "line_items": [{"quantity": 1, "price_data": {
            "currency": CURRENCY, "unit_amount": to_fen(bidder.deposit_amount),
            "product_data": {"name": f"保证金 - {listing.achievement.title}"[:250]}}}],
        "client_reference_id": str(bidder.pk),
        "metadata": {"transfer_bidder_id": str(bidder.pk)},
        "payment_intent_data": {"capture_method": "manual",
                                "metadata": {"transfer_bidder_id": str(bidder.pk),
                                             "transfer_listing_id": str(listing.pk)}},
        "success_url": success_url,
        "cancel_url": cancel_url,
    }, options={"idempotency_key": f"deposit-{bidder.pk}-{bidder.created_at.timestamp()}-{attempt}"}))
    bidder.stripe_session_id = session.id
    bidder.checkout_url = session.url or ""
    bidder.save(update_fields=["stripe_session_id", "checkout_url"])
    return bidder


def _entry(bidder: BidderRegistration, kind: str, stripe_id: str, event_id: str = "") -> None:
    DepositEntry.objects.get_or_create(bidder=bidder, kind=kind, defaults={
        "amount": bidder.deposit_amount, "stripe_object_id": stripe_id, "stripe_event_id": event_id})


def release(bidder: BidderRegistration) -> None:
    """Cancel the held PaymentIntent: the bidder's money was never taken."""
    intent = bidder.stripe_payment_intent_id
    _stripe_call("deposit release", lambda: stripe_client().v1.payment_intents.cancel(
        intent, options={"idempotency_key": f"deposit-release-{bidder.pk}"}))
    move_deposit(bidder, D.RELEASED)
    bidder.settled_at = timezone.now()
    bidder.save(update_fields=["deposit_state", "settled_at"])
    _entry(bidder, DepositEntry.Kind.RELEASE, intent)


def capture(bidder: BidderRegistration) -> None:
    """Capture the winner's deposit: it is applied to the price."""
    intent = bidder.stripe_payment_intent_id
    _stripe_call("deposit capture", lambda: stripe_client().v1.payment_intents.capture(
        intent, params={"amount_to_capture": to_fen(bidder.deposit_amount)},
        options={"idempotency_key": f"deposit-capture-{bidder.pk}"}))
    move_deposit(bidder, D.CAPTURED)
    bidder.settled_at = timezone.now()
    bidder.save(update_fields=["deposit_state", "settled_at"])
    _entry(bidder, DepositEntry.Kind.CAPTURE, intent)


def refund(bidder: BidderRegistration) -> None:
    """Give a captured deposit back (the bureau upheld an objection against the result)."""
    intent = bidder.stripe_payment_intent_id
    result = _stripe_call("deposit refund", lambda: stripe_client().v1.refunds.create(
        params={"payment_intent": intent, "amount": to_fen(bidder.deposit_amount),
                "metadata": {"transfer_bidder_id": str(bidder.pk)}},
        options={"idempotency_key": f"deposit-refund-{bidder.pk}"}))
    move_deposit(bidder, D.REFUNDED)
    bidder.save(update_fields=["deposit_state"])
    _entry(bidder, DepositEntry.Kind.REFUND, result.id)


# --------------------------------------------------------------------------------------------------
# Webhook handlers (registered with marketplace.payments in apps.py; each runs inside the transaction
# that records the Stripe event id, so a repeated delivery changes nothing).

def _bidder_for(intent: dict[str, Any]) -> BidderRegistration | None:
    bidder_id = (intent.get("metadata") or {}).get("transfer_bidder_id")
    if not (bidder_id and str(bidder_id).isdigit()):
        return None
    return (BidderRegistration.objects.select_for_update().select_related("listing")
            .filter(pk=int(bidder_id)).first())


def _held(intent: dict[str, Any], event_id: str) -> str:
    bidder = _bidder_for(intent)
    if bidder is None:
        return "not a transfer deposit, ignored"
    if bidder.deposit_state != D.PENDING:
        return f"deposit is {bidder.deposit_state}; hold ignored"
    bidder.stripe_payment_intent_id = intent.get("id") or ""
    received = from_fen(intent.get("amount_capturable") or 0)
    currency = (intent.get("currency") or "").lower()
    move_deposit(bidder, D.HELD)
    bidder.held_at = timezone.now()
    bidder.save(update_fields=["deposit_state", "stripe_payment_intent_id", "held_at"])
    _entry(bidder, DepositEntry.Kind.HOLD, bidder.stripe_payment_intent_id, event_id)
    if received != bidder.deposit_amount or currency != CURRENCY:
        logger.error("deposit %s: Stripe holds %s %s, expected %s; released", bidder.pk, received, currency,
                     bidder.deposit_amount)
        release(bidder)
        return "held amount does not match the deposit, released"
    if bidder.listing.state not in OPEN_FOR_BIDS:
        # The money arrived after bidding ended: nobody wants it, so the hold is dropped at once.
        release(bidder)
        return "held after bidding ended, released"
    return "deposit held"


def _canceled(intent: dict[str, Any], event_id: str) -> str:
    bidder = _bidder_for(intent)
    if bidder is None:
        return "not a transfer deposit, ignored"
    if bidder.deposit_state == D.PENDING:
        move_deposit(bidder, D.FAILED)
        bidder.save(update_fields=["deposit_state"])
        return "deposit payment cancelled before it was held"
    return f"deposit is {bidder.deposit_state}; cancellation confirmed"


def _succeeded(intent: dict[str, Any], event_id: str) -> str:
    bidder = _bidder_for(intent)
    if bidder is None:
        return "not a transfer deposit, ignored"
    return f"deposit is {bidder.deposit_state}; capture confirmed"


WEBHOOK_HANDLERS = {
    "payment_intent.amount_capturable_updated": _held,
    "payment_intent.canceled": _canceled,
    "payment_intent.succeeded": _succeeded,
}

