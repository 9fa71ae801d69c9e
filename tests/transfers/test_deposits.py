"""Deposits against the running stripe-mock, with webhooks signed the way Stripe signs them: a deposit
is held only when Stripe says so, a bidder without it cannot bid, and the close releases the losers'
holds and captures the winner's. An upheld objection refunds the captured deposit."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from marketplace.payments.models import ProcessedStripeEvent
from marketplace.transfers import closing, services
from marketplace.transfers.models import BidderRegistration, DepositEntry
from marketplace.transfers.states import D, L

from .conftest import ending_in, sign, stripe_event

pytestmark = pytest.mark.django_db


def _register(listing, user, org) -> BidderRegistration:
    return services.register_bidder(user=user, listing=listing, organization=org,
                                    success_url="http://127.0.0.1:8000/ok", cancel_url="http://127.0.0.1:8000/no")


def _intent(bidder, *, amount_fen: int | None = None, status: str = "requires_capture") -> dict:
    fen = 2_000_000 if amount_fen is None else amount_fen  # the 20,000.00 yuan deposit, in fen
    return {"id": f"pi_{uuid.uuid4().hex[:24]}", "object": "payment_intent", "status": status,
            "capture_method": "manual", "currency": "cny", "amount": fen, "amount_capturable": fen,
            "metadata": {"transfer_bidder_id": str(bidder.pk), "transfer_listing_id": str(bidder.listing_id)}}


def _hold(deliver, bidder, **kwargs):
    response = deliver(stripe_event("payment_intent.amount_capturable_updated", _intent(bidder, **kwargs)))
    assert response.status_code == 200, response.content
    bidder.refresh_from_db()
    return response


def test_registration_opens_a_manual_capture_checkout_and_only_a_signed_hold_lets_the_bidder_bid(
        world, stripe_settings, deliver):
    listing = world.listing()
    user, org = world.enterprise()
    bidder = _register(listing, user, org)
    assert bidder.stripe_session_id.startswith("cs_") and bidder.checkout_url.startswith("https://")
    assert bidder.deposit_state == D.PENDING and bidder.number == 1
    with pytest.raises(services.BidRefused) as refused:
        services.place_bid(user=user, listing=listing, amount=Decimal("105000"))
    assert refused.value.code == "no_deposit"

    # A forged event (wrong secret) is refused and holds nothing.
    payload = stripe_event("payment_intent.amount_capturable_updated", _intent(bidder))
    forged = deliver(payload, signature=sign(payload, secret="whsec_not_ours"))
    assert forged.status_code == 400
    bidder.refresh_from_db()
    assert bidder.deposit_state == D.PENDING

    payload = stripe_event("payment_intent.amount_capturable_updated", _intent(bidder))
    assert deliver(payload).json()["outcome"] == "deposit held"
    assert deliver(payload).json()["outcome"] == "duplicate event, already processed"
    bidder.refresh_from_db()
    assert bidder.deposit_state == D.HELD and bidder.stripe_payment_intent_id.startswith("pi_")
    assert DepositEntry.objects.filter(bidder=bidder, kind="hold").count() == 1
    assert ProcessedStripeEvent.objects.filter(type="payment_intent.amount_capturable_updated").count() == 1
    services.place_bid(user=user, listing=listing, amount=Decimal("105000"))


def test_a_hold_of_the_wrong_amount_is_released_at_once(world, stripe_settings, deliver):
    listing = world.listing()
    bidder = _register(listing, *world.enterprise())
    response = _hold(deliver, bidder, amount_fen=100)
    assert "does not match" in response.json()["outcome"]
    assert bidder.deposit_state == D.RELEASED and not bidder.may_bid


def test_close_releases_the_losers_and_captures_the_winner_on_stripe(world, stripe_settings, deliver):
    listing = world.listing()
    (u1, o1), (u2, o2), (u3, o3) = world.enterprise(), world.enterprise(), world.enterprise()
    b1, b2, b3 = (_register(listing, u, o) for u, o in ((u1, o1), (u2, o2), (u3, o3)))
    for b in (b1, b2, b3):
        _hold(deliver, b)
    services.place_bid(user=u1, listing=listing, amount=Decimal("105000"))
    services.place_bid(user=u3, listing=listing, amount=Decimal("120000"))
    ending_in(listing, dt.timedelta(seconds=-1))
    assert closing.run_due() == {"closed": 1, "settled": 1, "concluded": 0, "errors": 0}
    for b in (b1, b2, b3):
        b.refresh_from_db()
    assert (b1.deposit_state, b2.deposit_state, b3.deposit_state) == (D.RELEASED, D.RELEASED, D.CAPTURED)
    assert set(DepositEntry.objects.filter(kind="release").values_list("bidder", flat=True)) == {b1.pk, b2.pk}
    assert list(DepositEntry.objects.filter(kind="capture").values_list("bidder", flat=True)) == [b3.pk]
    # Stripe confirms the cancellation afterwards: nothing changes a second time.
    cancelled = deliver(stripe_event("payment_intent.canceled",
                                     {**_intent(b1, status="canceled"), "id": b1.stripe_payment_intent_id}))
    assert cancelled.json()["outcome"] == "deposit is released; cancellation confirmed"
    # A hold arriving after the close is dropped at once.
    late = BidderRegistration.objects.create(listing=listing, organization=world.enterprise()[1], user=u1, number=9,
                                             deposit_amount=listing.deposit_amount)
    assert _hold(deliver, late).json()["outcome"] == "held after bidding ended, released"
    assert late.deposit_state == D.RELEASED

    listing.refresh_from_db()
    assert listing.state == L.PUBLICITY
    objection = closing.raise_objection(user=u2, listing=listing, text="竞价过程存在串通")
    closing.resolve_objection(user=world.bureau, objection=objection, upheld=True, resolution="异议成立，成交无效")
    b3.refresh_from_db()
    assert b3.deposit_state == D.REFUNDED
    assert DepositEntry.objects.get(bidder=b3, kind="refund").stripe_object_id.startswith("re_")


def test_the_register_view_sends_the_bidder_to_stripe(world, stripe_settings, client):
    listing = world.listing()
    user, org = world.enterprise()
    client.force_login(user)
    response = client.post(reverse("transfers:register", args=[listing.pk]), {"organization": org.pk})
    assert response.status_code == 303
    assert response["Location"] == BidderRegistration.objects.get(listing=listing).checkout_url
