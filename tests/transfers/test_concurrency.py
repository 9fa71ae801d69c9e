"""Fifty bids placed at the same moment on PostgreSQL, each thread with its own connection, the first
of them in the last five minutes. The listing row lock (SELECT ... FOR UPDATE) makes them queue: the accepted
bids form a strictly increasing chain, each at least one increment above the one before, no accepted
bid is lost, and each late one (within five minutes of the end as it stood) extends it by exactly five minutes."""

import datetime as dt
import random
import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection, connections

from marketplace.transfers import services
from marketplace.transfers.models import Bid, TransferListing
from tests.conftest import require_service

from .conftest import ending_in, held_bidder

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BIDS = 50
FIVE_MINUTES = dt.timedelta(minutes=5)


def test_fifty_concurrent_bids_queue_behind_the_row_lock(world):
    require_service("PostgreSQL", connection.vendor == "postgresql", "row locks need PostgreSQL (DATABASE_URL)")
    listing = world.listing()  # reserve 100,000, increment 5,000
    people = [world.enterprise() for _ in range(5)]
    for user, org in people:
        held_bidder(listing, user, org)
    listing = ending_in(listing, dt.timedelta(minutes=3))
    first_end = listing.ends_at
    # Offers between 1 and 30 increments above the reserve, some repeated, some off the 5,000 grid:
    # whichever order the lock hands them out in, some must be refused as too low.
    rng = random.Random(14)
    offers = [Decimal("100000") + Decimal("5000") * rng.randint(1, 30) + rng.choice([Decimal("0"), Decimal("2500")])
              for _ in range(BIDS)]
    barrier = threading.Barrier(BIDS)
    answers: list = [None] * BIDS

    def run(i: int) -> None:
        close_old_connections()
        try:
            user = people[i % len(people)][0]
            barrier.wait(timeout=60)
            answers[i] = services.place_bid(user=user, listing=listing, amount=offers[i])
        except Exception as error:  # noqa: BLE001 - each thread's outcome is inspected below
            answers[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(BIDS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(t.is_alive() for t in threads), "a bidding thread hung"

    accepted = [a for a in answers if isinstance(a, services.BidResult)]
    refused = [a for a in answers if isinstance(a, services.BidRefused)]
    assert len(accepted) + len(refused) == BIDS, [a for a in answers if not isinstance(
        a, services.BidResult | services.BidRefused)]
    assert all(r.code == "too_low" for r in refused)
    assert accepted, "no bid was accepted"

    stored = list(Bid.objects.filter(listing=listing).order_by("sequence"))
    # None lost: every bid a bidder was told was accepted is stored, and nothing else is.
    assert sorted(a.bid.pk for a in accepted) == sorted(b.pk for b in stored)
    assert [b.sequence for b in stored] == list(range(1, len(stored) + 1))
    previous = Decimal("100000")  # the reserve
    for bid in stored:
        assert bid.amount >= previous + Decimal("5000"), f"bid {bid.sequence} is below the increment"
        previous = bid.amount
    # Anti-sniping: a bid placed within five minutes of the end as it stood then (late) moves the end once,
    # by exactly five minutes; any other bid leaves it. Each bid starts from where the previous one left it.
    end, late = first_end, 0
    for bid in stored:
        assert bid.ends_at_before == end, f"bid {bid.sequence} did not start from the previous end"
        if end - bid.placed_at <= FIVE_MINUTES:
            late += 1
            assert bid.ends_at_after == end + FIVE_MINUTES, f"late bid {bid.sequence} not extended exactly once"
        else:
            assert bid.ends_at_after == end, f"bid {bid.sequence} extended though not late"
        end = bid.ends_at_after
    assert late >= 1  # the first accepted bid came less than three minutes before the end
    assert [b.placed_at for b in stored] == sorted(b.placed_at for b in stored)
    row = TransferListing.objects.get(pk=listing.pk)
    assert row.ends_at == first_end + FIVE_MINUTES * late
    assert row.bid_count == len(stored) and row.current_price == stored[-1].amount
