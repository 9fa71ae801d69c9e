"""Shared builders for listed-transfer tests: a published result of a university, its broker, bureau
staff, verified enterprises ready to bid, and a listing approved and open for bids."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import PlatformRole
from marketplace.listings.models import AchievementPage
from marketplace.transfers import services
from marketplace.transfers.models import BidderRegistration, TransferListing
from marketplace.transfers.states import D
from tests.cms.builders import publish_listing
from tests.factories import achievement_data, make_org, make_user
from tests.payments.conftest import deliver, sign, stripe_event, stripe_mock_url, stripe_settings  # noqa: F401

TERMS = {"mode": "transfer", "reserve_price": Decimal("100000.00"), "bid_increment": Decimal("5000.00"),
         "deposit_amount": Decimal("20000.00")}


class World:
    def __init__(self) -> None:
        self.owner = make_user(PlatformRole.UNIVERSITY)
        self.university = make_org("university", name="滨州学院", members=[self.owner])
        self.achievement = publish_listing(AchievementPage, achievement_data(self.university))
        self.agent = make_user(PlatformRole.AGENT)
        self.bureau = make_user(PlatformRole.BUREAU)

    def enterprise(self, name: str | None = None):
        user = make_user(PlatformRole.ENTERPRISE)
        org = make_org("enterprise", name=name, members=[user])
        org.verified = True
        org.save(update_fields=["verified"])
        return user, org

    def listing(self, **overrides) -> TransferListing:
        data = {**TERMS, "agent": self.agent, **overrides}
        listing = services.request_listing(user=self.owner, achievement=self.achievement, data=data)
        return services.approve(user=self.bureau, listing=listing)


@pytest.fixture
def world(site):
    return World()


def held_bidder(listing: TransferListing, user, org, number: int | None = None) -> BidderRegistration:
    """A bidder whose deposit Stripe holds (the webhook path itself is tested in test_deposits.py)."""
    number = number or listing.bidders.count() + 1
    return BidderRegistration.objects.create(
        listing=listing, organization=org, user=user, number=number, deposit_amount=listing.deposit_amount,
        deposit_state=D.HELD, held_at=timezone.now(), stripe_payment_intent_id=f"pi_test_{listing.pk}_{number}")


def ending_in(listing: TransferListing, delta: dt.timedelta) -> TransferListing:
    TransferListing.objects.filter(pk=listing.pk).update(ends_at=timezone.now() + delta)
    listing.refresh_from_db()
    return listing
