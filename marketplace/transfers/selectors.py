"""Reads for listed transfers: the public page and its live JSON, the owner's list, the bureau's queue
and dashboard. Selectors never write."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import Organization, OrganizationKind
from accounts.permissions import is_bureau, is_member, organization_ids_for, verified_organization_ids_for

from .models import Bid, BidderRegistration, Objection, ObjectionStatus, TransferListing
from .states import PUBLIC_STATES, D, L


def public_listing(pk: int) -> TransferListing | None:
    return (TransferListing.objects.select_related("achievement", "organization", "winner")
            .filter(pk=pk, state__in=PUBLIC_STATES).first())


def visible_listing(user, pk: int) -> TransferListing | None:
    """The public ones for everyone; drafts and pending ones for their owners and the bureau."""
    listing = TransferListing.objects.select_related("achievement", "organization").filter(pk=pk).first()
    if listing is None:
        return None
    if listing.state in PUBLIC_STATES or is_bureau(user) or is_member(user, listing.organization):
        return listing
    return None


def bid_history(listing: TransferListing) -> list[Bid]:
    return list(listing.bids.select_related("bidder").order_by("-sequence"))


def my_bidder(user, listing: TransferListing) -> BidderRegistration | None:
    orgs = organization_ids_for(user)
    return listing.bidders.filter(organization_id__in=orgs).first() if orgs else None


def live_status(listing: TransferListing) -> dict:
    """What the page polls: no names, only pseudonyms (竞买人N) and amounts."""
    return {
        "state": listing.state,
        "state_label": str(L(listing.state).label),
        "current_price": str(listing.current_price) if listing.current_price is not None else None,
        "minimum_bid": str(listing.minimum_bid),
        "ends_at": listing.ends_at.isoformat() if listing.ends_at else None,
        "server_time": timezone.now().isoformat(),
        "bid_count": listing.bid_count,
        "bidders": listing.bidders.filter(deposit_state__in=[D.HELD, D.CAPTURED, D.RELEASED]).count(),
        "bids": [{"bidder": str(b.bidder.pseudonym), "amount": str(b.amount),
                  "placed_at": b.placed_at.isoformat(), "extended": b.extended}
                 for b in bid_history(listing)[:50]],
    }


def listings_of(user) -> QuerySet[TransferListing]:
    return TransferListing.objects.filter(organization_id__in=organization_ids_for(user)).select_related(
        "achievement")


def public_listings() -> QuerySet[TransferListing]:
    return TransferListing.objects.filter(state__in=PUBLIC_STATES).select_related("achievement", "organization")


def pending_listings() -> QuerySet[TransferListing]:
    return TransferListing.objects.filter(state=L.PENDING).select_related("achievement", "organization", "agent")


def open_objections() -> QuerySet[Objection]:
    return Objection.objects.filter(status=ObjectionStatus.OPEN).select_related("listing__achievement")


def dashboard_rows() -> list[list]:
    """One row per listing the bureau approved: terms, bidders, closing price against the reserve."""
    rows = []
    listings = (TransferListing.objects.exclude(state__in=[L.DRAFT, L.PENDING])
                .select_related("achievement", "organization", "achievement__county", "achievement__field")
                .annotate(n_bidders=Count("bidders", filter=Q(bidders__held_at__isnull=False)))
                .order_by("-listed_at", "-pk"))
    for x in listings:
        premium = (x.final_price / x.reserve_price - 1) * 100 if x.final_price else None
        rows.append([x.pk, x.achievement.title, x.organization.name, x.get_mode_display(),
                     x.achievement.county.name if x.achievement.county else "", x.achievement.field.name,
                     x.get_state_display(), x.reserve_price, x.n_bidders, x.bid_count, x.final_price,
                     premium.quantize(Decimal("0.1")) if premium is not None else None,
                     "是" if x.negotiated else "否"])
    return rows


DASHBOARD_HEADER = ["编号", "科技成果", "挂牌方", "交易方式", "县(市、区)", "产业领域", "状态", "挂牌底价（元）",
                    "竞买人数", "出价次数", "成交价（元）", "溢价率（%）", "协议转让"]


def totals_by(dimension: str) -> list[tuple[str, int, Decimal]]:
    """Concluded transfers by county or field: (name, count, total closing price)."""
    key = f"achievement__{dimension}__name"
    rows = (TransferListing.objects.filter(state=L.CONCLUDED).values(key)
            .annotate(n=Count("pk"), total=Sum("final_price")).order_by("-total"))
    return [(r[key] or "—", r["n"], r["total"] or Decimal("0")) for r in rows]


def bidding_organizations(user) -> QuerySet[Organization]:
    """The verified enterprises this user can register as a bidder for."""
    return Organization.objects.filter(pk__in=verified_organization_ids_for(user), kind=OrganizationKind.ENTERPRISE)
