"""The close, the notice and the objection window, without Stripe's side (test_deposits.py runs that
against stripe-mock): who wins, at what price, and what the conclusion creates."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from marketplace.agreements.models import Agreement
from marketplace.deals.stages import Stage
from marketplace.transfers import closing, deposits, services
from marketplace.transfers.models import TransferListing
from marketplace.transfers.states import L

from .conftest import ending_in, held_bidder

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_stripe(monkeypatch):
    """Unit tests of our own closing logic: record which deposits would be released or captured."""
    calls = []

    def fake(kind, state):
        def move(bidder):
            calls.append((kind, bidder.number))
            deposits.move_deposit(bidder, state)
            bidder.save(update_fields=["deposit_state"])
        return move

    monkeypatch.setattr(deposits, "release", fake("release", "released"))
    monkeypatch.setattr(deposits, "capture", fake("capture", "captured"))
    monkeypatch.setattr(deposits, "refund", fake("refund", "refunded"))
    return calls


def test_highest_bid_wins_losers_released_winner_captured_then_notice(world, no_stripe):
    listing = world.listing()
    (u1, o1), (u2, o2), (u3, o3) = world.enterprise(), world.enterprise(), world.enterprise()
    for u, o in ((u1, o1), (u2, o2), (u3, o3)):
        held_bidder(listing, u, o)
    services.place_bid(user=u1, listing=listing, amount=Decimal("105000"))
    services.place_bid(user=u2, listing=listing, amount=Decimal("130000"))
    listing = ending_in(listing, dt.timedelta(seconds=-1))
    call_command("close_transfer_listings")
    listing.refresh_from_db()
    assert listing.state == L.PUBLICITY
    assert listing.winner.organization == o2 and listing.final_price == Decimal("130000")
    assert sorted(no_stripe) == [("capture", 2), ("release", 1), ("release", 3)]
    assert listing.publicity_ends_at > timezone.now() + dt.timedelta(days=4)


def test_a_single_registered_bidder_gets_a_negotiated_transfer_at_the_reserve(world, no_stripe):
    listing = world.listing()
    user, org = world.enterprise()
    held_bidder(listing, user, org)
    services.place_bid(user=user, listing=listing, amount=Decimal("150000"))
    ending_in(listing, dt.timedelta(seconds=-1))
    closing.run_due()
    listing.refresh_from_db()
    assert listing.negotiated and listing.final_price == Decimal("100000.00")
    assert listing.state == L.PUBLICITY and no_stripe == [("capture", 1)]


def test_no_bids_fails_and_releases_every_deposit(world, no_stripe):
    listing = world.listing()
    for _ in range(2):
        held_bidder(listing, *world.enterprise())
    ending_in(listing, dt.timedelta(seconds=-1))
    closing.run_due()
    listing.refresh_from_db()
    assert listing.state == L.FAILED and listing.winner is None
    assert sorted(no_stripe) == [("release", 1), ("release", 2)]


def _in_publicity(world):
    listing = world.listing()
    (u1, o1), (u2, o2) = world.enterprise(), world.enterprise()
    held_bidder(listing, u1, o1)
    held_bidder(listing, u2, o2)
    services.place_bid(user=u1, listing=listing, amount=Decimal("105000"))
    services.place_bid(user=u2, listing=listing, amount=Decimal("110000"))
    ending_in(listing, dt.timedelta(seconds=-1))
    closing.run_due()
    listing.refresh_from_db()
    return listing, o2


def test_a_dismissed_objection_lets_the_publicity_run_out_into_a_deal_and_a_pending_agreement(world, no_stripe):
    listing, winner = _in_publicity(world)
    someone, _org = world.enterprise()
    objection = closing.raise_objection(user=someone, listing=listing, text="成交价格明显偏低")
    listing.refresh_from_db()
    assert listing.state == L.OBJECTION
    # While the objection is open nothing concludes, even after the period.
    assert closing.run_due(now=listing.publicity_ends_at + dt.timedelta(seconds=1))["concluded"] == 0
    closing.resolve_objection(user=world.bureau, objection=objection, upheld=False, resolution="经核查，竞价过程合规")
    listing.refresh_from_db()
    assert listing.state == L.PUBLICITY
    assert closing.run_due(now=listing.publicity_ends_at - dt.timedelta(seconds=1))["concluded"] == 0
    assert closing.run_due(now=listing.publicity_ends_at)["concluded"] == 1
    listing.refresh_from_db()
    assert listing.state == L.CONCLUDED
    deal = listing.deal
    assert deal.stage == Stage.AGREEMENT_SIGNED and deal.agent == world.agent
    assert deal.enterprise == winner and deal.academic == world.university
    agreement = Agreement.objects.get(deal=deal)
    assert agreement.amount == Decimal("110000.00") and agreement.agreement_type == "transfer"
    assert agreement.status == "recorded"  # it waits for the parties and the bureau like any other
    assert agreement.field == world.achievement.field


def test_an_upheld_objection_fails_the_listing_and_refunds_the_winner(world, no_stripe):
    listing, _winner = _in_publicity(world)
    someone, _org = world.enterprise()
    objection = closing.raise_objection(user=someone, listing=listing, text="受让方与挂牌方存在关联关系")
    closing.resolve_objection(user=world.bureau, objection=objection, upheld=True, resolution="异议成立")
    listing.refresh_from_db()
    assert listing.state == L.FAILED and listing.deal is None
    assert ("refund", 2) in no_stripe


def test_only_the_bureau_resolves_an_objection_and_none_is_taken_after_the_period(world, no_stripe):
    from django.core.exceptions import PermissionDenied

    listing, _winner = _in_publicity(world)
    someone, _org = world.enterprise()
    objection = closing.raise_objection(user=someone, listing=listing, text="异议")
    with pytest.raises(PermissionDenied):
        closing.resolve_objection(user=someone, objection=objection, upheld=True, resolution="自行处理")
    closing.resolve_objection(user=world.bureau, objection=objection, upheld=False, resolution="不成立")
    listing.refresh_from_db()
    with pytest.raises(services.TransitionRefused):
        closing.raise_objection(user=someone, listing=listing, text="迟到的异议",
                                now=listing.publicity_ends_at + dt.timedelta(seconds=1))


def test_no_objection_before_the_notice(world):
    someone, _org = world.enterprise()
    listing = world.listing()
    with pytest.raises(services.TransitionRefused):
        closing.raise_objection(user=someone, listing=listing, text="异议")
    assert TransferListing.objects.get(pk=listing.pk).state == L.LISTED
