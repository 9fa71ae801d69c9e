"""Writes for listed transfers: request, submit, approve/return, withdraw, register bidders, bid.

Every state change goes through `move()`, the one writer of TransferListing.state: it asks
states.LISTING_MACHINE and records a ListingTransition. Bids and registrations lock the listing row
(SELECT ... FOR UPDATE) first, so concurrent bids are applied one after another against the price the
previous one left."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ACADEMIC_KINDS, Organization, OrganizationKind, User
from accounts.permissions import is_bureau, is_member, is_verified_member
from marketplace.core.states import TransitionRefused

from . import deposits
from .models import Bid, BidderRegistration, ListingTransition, TransferListing
from .states import LISTING_MACHINE, OPEN_FOR_BIDS, D, L
from .workdays import add_working_days

ANTI_SNIPING_WINDOW = dt.timedelta(minutes=5)
ANTI_SNIPING_EXTENSION = dt.timedelta(minutes=5)


class BidRefused(ValidationError):
    """A bid that cannot be accepted; the message says why, in the bidder's language."""


def label(state: str) -> str:
    return str(L(state).label)


def move(listing: TransferListing, target: str, *, by: User | None = None, note: str = "") -> None:
    """The one writer of a listing's state. The caller holds the row lock."""
    LISTING_MACHINE.apply(listing, target, actor=by, note=note, log=_log)


def _log(listing: TransferListing, source: str, target: str, by: User | None, note: str) -> None:
    ListingTransition.objects.create(listing=listing, from_state=source, to_state=target, by=by, note=note[:2000])


def locked(listing_id: int) -> TransferListing:
    return TransferListing.objects.select_for_update().get(pk=listing_id)


def _check_owner(user: User, organization: Organization) -> None:
    if not (is_bureau(user) or is_member(user, organization)):
        raise PermissionDenied(_("只有该成果的发布机构可以申请挂牌。"))
    if organization.kind not in ACADEMIC_KINDS:
        raise ValidationError(_("只有高校院所可以挂牌转让科技成果。"))


# --------------------------------------------------------------------------------------------------
# The owner's request and the bureau's moderation

@transaction.atomic
def request_listing(*, user: User, achievement, data: dict, submit: bool = True) -> TransferListing:
    """The owner of a published result asks to list it; it waits for the bureau unless kept as a draft."""
    _check_owner(user, achievement.organization)
    if not achievement.live:
        raise ValidationError(_("只有已发布的科技成果可以申请挂牌。"))
    busy = TransferListing.objects.filter(achievement=achievement).exclude(
        state__in=[L.CONCLUDED, L.FAILED, L.WITHDRAWN])
    if busy.exists():
        raise ValidationError(_("该成果已有进行中的挂牌交易。"))
    listing = TransferListing(achievement=achievement, organization=achievement.organization, requested_by=user,
                              **data)
    listing.full_clean()
    listing.save()
    if submit:
        move(listing, L.PENDING, by=user)
    return listing


@transaction.atomic
def update_listing(*, user: User, listing: TransferListing, data: dict, submit: bool = True) -> TransferListing:
    """A draft (or one the bureau returned) is changed and submitted again."""
    row = locked(listing.pk)
    _check_owner(user, row.organization)
    if row.state != L.DRAFT:
        raise TransitionRefused(_("只有草稿或被退回的挂牌申请可以修改。"))
    for name, value in data.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    if submit:
        move(row, L.PENDING, by=user)
    return row


@transaction.atomic
def approve(*, user: User, listing: TransferListing, now: dt.datetime | None = None) -> TransferListing:
    """Bureau staff approve: the listing is public from now until `window_days` working days later."""
    if not is_bureau(user):
        raise PermissionDenied(_("只有科技局工作人员可以审核挂牌申请。"))
    row = locked(listing.pk)
    now = now or timezone.now()
    move(row, L.LISTED, by=user)
    row.listed_at = now
    row.ends_at = add_working_days(now, row.window_days)
    row.state_reason = ""
    row.save(update_fields=["listed_at", "ends_at", "state_reason"])
    return row


@transaction.atomic
def reject(*, user: User, listing: TransferListing, reason: str) -> TransferListing:
    """Returned to its owner as a draft, with the reason."""
    if not is_bureau(user):
        raise PermissionDenied(_("只有科技局工作人员可以审核挂牌申请。"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写退回理由。")})
    row = locked(listing.pk)
    move(row, L.DRAFT, by=user, note=reason.strip())
    row.state_reason = reason.strip()
    row.save(update_fields=["state_reason"])
    return row


@transaction.atomic
def withdraw(*, user: User, listing: TransferListing) -> TransferListing:
    """The owner (or the bureau) withdraws a listing nobody has bid on; held deposits are released."""
    row = locked(listing.pk)
    _check_owner(user, row.organization)
    move(row, L.WITHDRAWN, by=user)
    for bidder in row.bidders.select_for_update().filter(deposit_state=D.HELD):
        deposits.release(bidder)
    return row


# --------------------------------------------------------------------------------------------------
# Bidders

def _check_bidder(user: User, organization: Organization, listing: TransferListing) -> None:
    if organization.kind != OrganizationKind.ENTERPRISE:
        raise ValidationError(_("只有企业可以登记竞买。"))
    if not is_verified_member(user, organization):
        raise PermissionDenied(_("只有已认证企业的成员可以登记竞买。"))
    if organization.pk == listing.organization_id:
        raise ValidationError(_("挂牌方不能参与竞买。"))


@transaction.atomic
def register_bidder(*, user: User, listing: TransferListing, organization: Organization,
                    success_url: str, cancel_url: str) -> BidderRegistration:
    """Register an enterprise as a bidder and open the deposit's checkout (or return the open one)."""
    row = locked(listing.pk)
    _check_bidder(user, organization, row)
    if row.state not in OPEN_FOR_BIDS or timezone.now() >= row.ends_at:
        raise ValidationError(_("该挂牌交易已不接受竞买登记。"))
    bidder = row.bidders.select_for_update().filter(organization=organization).first()
    if bidder is None:
        number = (row.bidders.aggregate(n=Max("number"))["n"] or 0) + 1
        bidder = BidderRegistration.objects.create(listing=row, organization=organization, user=user,
                                                   number=number, deposit_amount=row.deposit_amount)
    elif bidder.deposit_state == D.HELD:
        return bidder
    elif bidder.deposit_state == D.FAILED:
        deposits.move_deposit(bidder, D.PENDING)
        bidder.checkout_url = ""
        bidder.save(update_fields=["deposit_state", "checkout_url"])
    elif bidder.deposit_state == D.PENDING and bidder.checkout_url:
        return bidder
    bidder.listing = row
    return deposits.start_checkout(bidder, success_url=success_url, cancel_url=cancel_url)


# --------------------------------------------------------------------------------------------------
# Bids

@dataclass
class BidResult:
    bid: Bid
    extended: bool


def _bidder_of(user: User, listing: TransferListing) -> BidderRegistration:
    bidders = [b for b in listing.bidders.select_related("organization") if is_member(user, b.organization)]
    if not bidders:
        raise BidRefused(_("请先登记竞买并缴纳保证金。"), code="not_registered")
    held = [b for b in bidders if b.may_bid]
    if not held:
        raise BidRefused(_("保证金尚未到账，暂不能出价。"), code="no_deposit")
    return held[0]


@transaction.atomic
def place_bid(*, user: User, listing: TransferListing, amount: Decimal, now: dt.datetime | None = None
              ) -> BidResult:
    """Accept a bid or refuse it with the reason. The listing row is locked first, so bids placed at the
    same moment are judged one after another, each against the price the previous one left. A bid in
    the last five minutes moves the end five minutes later (once per such bid)."""
    if isinstance(amount, float):
        raise TypeError("money must be Decimal, not float")
    row = locked(listing.pk)
    now = now or timezone.now()
    bidder = _bidder_of(user, row)
    if row.state not in OPEN_FOR_BIDS or now >= row.ends_at:
        raise BidRefused(_("竞价已结束。"), code="closed")
    if amount != amount.quantize(Decimal("0.01")):
        raise BidRefused(_("出价最多保留两位小数。"), code="precision")
    minimum = row.minimum_bid
    if amount < minimum:
        raise BidRefused(_("出价须不低于 %(min)s 元（当前价加加价幅度）。") % {"min": minimum}, code="too_low")
    before = row.ends_at
    after = before + ANTI_SNIPING_EXTENSION if before - now <= ANTI_SNIPING_WINDOW else before
    bid = Bid.objects.create(listing=row, bidder=bidder, sequence=row.bid_count + 1, amount=amount, placed_at=now,
                             ends_at_before=before, ends_at_after=after)
    if row.state == L.LISTED:
        move(row, L.BIDDING, by=user)
    row.current_price, row.bid_count, row.ends_at = amount, row.bid_count + 1, after
    row.save(update_fields=["current_price", "bid_count", "ends_at"])
    return BidResult(bid=bid, extended=after != before)
