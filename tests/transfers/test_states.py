"""Every pair of listing states and of deposit states: the moves in the tables go through the one
writer, every other pair is refused and leaves the state as it was."""

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from marketplace.transfers import deposits, services
from marketplace.transfers.models import BidderRegistration, ListingTransition, TransferListing
from marketplace.transfers.states import DEPOSIT_TRANSITIONS, LISTING_TRANSITIONS, D, L

pytestmark = pytest.mark.django_db

# Written out by hand from the lifecycle, not read back from the table under test.
ALLOWED_LISTING = {
    ("draft", "pending"), ("draft", "withdrawn"),
    ("pending", "listed"), ("pending", "draft"), ("pending", "withdrawn"),
    ("listed", "bidding"), ("listed", "closed"), ("listed", "withdrawn"),
    ("bidding", "closed"),
    ("closed", "publicity"), ("closed", "failed"),
    ("publicity", "objection"), ("publicity", "concluded"),
    ("objection", "publicity"), ("objection", "failed"),
}
ALLOWED_DEPOSIT = {("pending", "held"), ("pending", "failed"), ("failed", "pending"), ("held", "released"),
                   ("held", "captured"), ("captured", "refunded")}


def test_the_tables_say_what_the_lifecycle_says():
    assert {(a, b) for a, targets in LISTING_TRANSITIONS.items() for b in targets} == ALLOWED_LISTING
    assert {(a, b) for a, targets in DEPOSIT_TRANSITIONS.items() for b in targets} == ALLOWED_DEPOSIT
    assert set(LISTING_TRANSITIONS) == set(L.values) and set(DEPOSIT_TRANSITIONS) == set(D.values)


def test_every_listing_state_pair_moves_or_is_refused_through_the_one_writer(world):
    listing = world.listing()
    failures = []
    for source, target in itertools.product(L.values, L.values):
        TransferListing.objects.filter(pk=listing.pk).update(state=source)
        row = TransferListing.objects.get(pk=listing.pk)
        logged = ListingTransition.objects.filter(listing=listing).count()
        try:
            with transaction.atomic():
                services.move(row, target, by=world.bureau)
            moved = True
        except services.TransitionRefused:
            moved = False
        state = TransferListing.objects.get(pk=listing.pk).state
        expected = (source, target) in ALLOWED_LISTING
        if moved != expected or state != (target if expected else source):
            failures.append(f"{source} -> {target}: moved={moved}, now {state}")
        if moved and ListingTransition.objects.filter(listing=listing).count() != logged + 1:
            failures.append(f"{source} -> {target}: not recorded")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("source", "target"), list(itertools.product(D.values, D.values)))
def test_every_deposit_state_pair(source, target):
    bidder = BidderRegistration(deposit_state=source)
    if (source, target) in ALLOWED_DEPOSIT:
        deposits.move_deposit(bidder, target)
        assert bidder.deposit_state == target
    else:
        with pytest.raises(ValidationError):
            deposits.move_deposit(bidder, target)
        assert bidder.deposit_state == source
