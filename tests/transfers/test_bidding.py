"""The bidding rules, one by one: who may bid, how much, until when, and the anti-sniping extension."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.transfers import services
from marketplace.transfers.models import Bid, TransferListing
from marketplace.transfers.states import D, L
from marketplace.transfers.workdays import add_working_days

from .conftest import ending_in, held_bidder

pytestmark = pytest.mark.django_db


def test_approval_opens_the_listing_for_twenty_working_days(world):
    # Wednesday 2026-12-02 10:00 in Binzhou + 20 working days (4 whole weeks) = Wednesday 2026-12-30 10:00.
    wednesday = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    listing = services.request_listing(user=world.owner, achievement=world.achievement,
                                       data={"mode": "license", "reserve_price": Decimal("100000"),
                                             "bid_increment": Decimal("5000"), "deposit_amount": Decimal("20000"),
                                             "agent": world.agent})
    assert listing.state == L.PENDING and listing.window_days == 20
    listing = services.approve(user=world.bureau, listing=listing, now=wednesday)
    assert listing.state == L.LISTED
    assert timezone.localtime(listing.ends_at).replace(tzinfo=None) == dt.datetime(2026, 12, 30, 10, 0)


def test_working_days_skip_weekends():
    friday = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    # Friday + 1 working day = Monday; + 5 = the next Friday.
    assert add_working_days(friday, 1).date() == dt.date(2026, 12, 7)
    assert add_working_days(friday, 5).date() == dt.date(2026, 12, 11)


def test_a_bidder_without_a_held_deposit_cannot_bid(world):
    listing = world.listing()
    user, org = world.enterprise()
    with pytest.raises(services.BidRefused) as refused:
        services.place_bid(user=user, listing=listing, amount=Decimal("105000"))
    assert refused.value.code == "not_registered"
    bidder = held_bidder(listing, user, org)
    bidder.deposit_state = D.PENDING
    bidder.save()
    with pytest.raises(services.BidRefused) as refused:
        services.place_bid(user=user, listing=listing, amount=Decimal("105000"))
    assert refused.value.code == "no_deposit"
    assert "保证金尚未到账" in refused.value.messages[0]
    assert not Bid.objects.exists()


def test_each_bid_beats_the_price_by_at_least_the_increment(world):
    listing = world.listing()  # reserve 100,000, increment 5,000
    (u1, o1), (u2, o2) = world.enterprise(), world.enterprise()
    held_bidder(listing, u1, o1)
    held_bidder(listing, u2, o2)
    with pytest.raises(services.BidRefused) as refused:
        services.place_bid(user=u1, listing=listing, amount=Decimal("104999.99"))
    assert refused.value.code == "too_low" and "105000.00" in refused.value.messages[0]
    services.place_bid(user=u1, listing=listing, amount=Decimal("105000.00"))
    listing.refresh_from_db()
    assert listing.state == L.BIDDING and listing.current_price == Decimal("105000.00")
    with pytest.raises(services.BidRefused):
        services.place_bid(user=u2, listing=listing, amount=Decimal("109999.00"))
    services.place_bid(user=u2, listing=listing, amount=Decimal("123456.78"))
    with pytest.raises(services.BidRefused) as refused:
        services.place_bid(user=u1, listing=listing, amount=Decimal("128456.785"))
    assert refused.value.code == "precision"
    with pytest.raises(TypeError):
        services.place_bid(user=u1, listing=listing, amount=128456.78)
    assert [b.amount for b in Bid.objects.order_by("sequence")] == [Decimal("105000.00"), Decimal("123456.78")]


def test_a_late_bid_extends_the_end_by_five_minutes_and_an_early_one_does_not(world):
    listing = world.listing()
    user, org = world.enterprise()
    held_bidder(listing, user, org)
    listing = ending_in(listing, dt.timedelta(minutes=10))
    end = listing.ends_at
    early = services.place_bid(user=user, listing=listing, amount=Decimal("105000"))
    listing.refresh_from_db()
    assert not early.extended and listing.ends_at == end
    now = end - dt.timedelta(minutes=4, seconds=59)
    late = services.place_bid(user=user, listing=listing, amount=Decimal("110000"), now=now)
    listing.refresh_from_db()
    assert late.extended and listing.ends_at == end + dt.timedelta(minutes=5)
    # The next late bid counts from the new end: one more extension, not two.
    later = services.place_bid(user=user, listing=listing, amount=Decimal("115000"),
                               now=end + dt.timedelta(minutes=4))
    listing.refresh_from_db()
    assert later.extended and listing.ends_at == end + dt.timedelta(minutes=10)


def test_no_bid_after_the_end(world):
    listing = world.listing()
    user, org = world.enterprise()
    held_bidder(listing, user, org)
    listing = ending_in(listing, dt.timedelta(seconds=-1))
    with pytest.raises(services.BidRefused) as refused:
        services.place_bid(user=user, listing=listing, amount=Decimal("105000"))
    assert refused.value.code == "closed"


def test_the_owner_cannot_bid_on_its_own_result_and_an_unverified_enterprise_cannot_register(world):
    listing = world.listing()
    with pytest.raises(Exception) as refused:
        services.register_bidder(user=world.owner, listing=listing, organization=world.university,
                                 success_url="http://x/", cancel_url="http://x/")
    assert "只有企业" in " ".join(refused.value.messages)
    user, org = world.enterprise()
    org.verified = False
    org.save()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.register_bidder(user=user, listing=listing, organization=org, success_url="http://x/",
                                 cancel_url="http://x/")


def test_a_listing_with_an_active_transfer_cannot_be_listed_twice(world):
    world.listing()
    with pytest.raises(Exception) as refused:
        world.listing()
    assert "进行中的挂牌" in " ".join(refused.value.messages)
    assert TransferListing.objects.count() == 1
