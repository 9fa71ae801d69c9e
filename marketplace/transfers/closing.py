"""The end of a listing: close bidding, settle the deposits, publish the result notice (成交公示), take
objections during the publicity period, and conclude with a deal and an agreement.

`run_due()` does whatever is due; the management command close_transfer_listings and the Celery task
transfers.close_due call it. Each listing is handled in its own transaction, so one listing that cannot
be settled (Stripe unreachable) stays where it is and is retried on the next run, without holding up
the others."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import is_bureau
from marketplace.agreements.models import AgreementType
from marketplace.agreements.services import AgreementTerms
from marketplace.deals.services import move_deal, open_deal
from marketplace.deals.stages import Stage
from marketplace.payments.services import PaymentServiceError

from . import deposits
from .models import Objection, ObjectionStatus, TransferListing, TransferMode
from .services import TransitionRefused, locked, move
from .states import OPEN_FOR_BIDS, D, L
from .workdays import add_working_days

logger = logging.getLogger(__name__)

AGREEMENT_TYPE = {
    TransferMode.TRANSFER: AgreementType.TRANSFER,
    TransferMode.LICENSE: AgreementType.LICENSE,
    TransferMode.INVESTMENT: AgreementType.COOPERATION,
}


@transaction.atomic
def close_bidding(listing_id: int, now: dt.datetime | None = None) -> bool:
    """Fix the result when the (possibly extended) end has passed. One held deposit only: 协议转让 at the
    reserve price. Otherwise the highest bid wins; no bids, no result."""
    now = now or timezone.now()
    row = locked(listing_id)
    if row.state not in OPEN_FOR_BIDS or now < row.ends_at:
        return False
    held = list(row.bidders.filter(deposit_state=D.HELD))
    last_bid = row.bids.order_by("-sequence").select_related("bidder").first()
    if len(held) == 1:
        row.winner, row.final_price, row.negotiated = held[0], row.reserve_price, True
    elif last_bid is not None:
        # Bids only ever go up, so the last accepted bid is the highest.
        row.winner, row.final_price = last_bid.bidder, last_bid.amount
    row.closed_at = now
    row.save(update_fields=["winner", "final_price", "negotiated", "closed_at"])
    move(row, L.CLOSED, note=_("竞价截止"))
    return True


@transaction.atomic
def settle(listing_id: int, now: dt.datetime | None = None) -> bool:
    """Release the losers' deposits, capture the winner's, then publish the notice (or fail the listing)."""
    now = now or timezone.now()
    row = locked(listing_id)
    if row.state != L.CLOSED:
        return False
    for bidder in row.bidders.select_for_update().filter(deposit_state=D.HELD):
        if bidder.pk == row.winner_id:
            deposits.capture(bidder)
        else:
            deposits.release(bidder)
    if row.winner_id is None:
        move(row, L.FAILED, note=_("无人出价，流拍"))
        return True
    row.publicity_ends_at = add_working_days(now, row.publicity_days)
    row.save(update_fields=["publicity_ends_at"])
    move(row, L.PUBLICITY, note=_("成交公示"))
    return True


@transaction.atomic
def raise_objection(*, user: User, listing: TransferListing, text: str,
                    now: dt.datetime | None = None) -> Objection:
    """Anyone signed in may object while the notice is up; the listing waits for the bureau."""
    if not (user and user.is_authenticated):
        raise PermissionDenied(_("请先登录。"))
    now = now or timezone.now()
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写异议内容。")})
    row = locked(listing.pk)
    if row.state != L.PUBLICITY or now >= row.publicity_ends_at:
        raise TransitionRefused(_("当前不在公示期内，不能提出异议。"))
    objection = Objection.objects.create(listing=row, raised_by=user, text=text[:2000], raised_at=now)
    move(row, L.OBJECTION, by=user, note=_("收到异议"))
    return objection


@transaction.atomic
def resolve_objection(*, user: User, objection: Objection, upheld: bool, resolution: str,
                      now: dt.datetime | None = None) -> Objection:
    """Upheld: the result is void, the winner's deposit is refunded and the listing fails.
    Dismissed: the notice stands (the publicity period is not restarted)."""
    if not is_bureau(user):
        raise PermissionDenied(_("只有科技局工作人员可以处理异议。"))
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("请填写处理意见。")})
    row = locked(objection.listing_id)
    current = Objection.objects.select_for_update().get(pk=objection.pk)
    if current.status != ObjectionStatus.OPEN:
        raise TransitionRefused(_("该异议已处理。"))
    current.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    current.resolution, current.resolved_by, current.resolved_at = resolution.strip(), user, now or timezone.now()
    current.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
    if upheld:
        winner = row.winner
        if winner is not None and winner.deposit_state == D.CAPTURED:
            deposits.refund(winner)
        move(row, L.FAILED, by=user, note=resolution.strip())
    else:
        move(row, L.PUBLICITY, by=user, note=resolution.strip())
    return current


@transaction.atomic
def conclude(listing_id: int, now: dt.datetime | None = None) -> bool:
    """After the publicity period: a deal (carried by the listing's agent) and its agreement, which then
    goes through the bureau's verification like any other."""
    now = now or timezone.now()
    row = locked(listing_id)
    if row.state != L.PUBLICITY or now < row.publicity_ends_at:
        return False
    achievement, winner = row.achievement, row.winner
    title = _("挂牌交易：%(title)s") % {"title": achievement.title}
    deal = open_deal(agent=row.agent, title=title[:200], enterprise=winner.organization, academic=row.organization,
                     achievement=achievement, notes=_("挂牌交易#%(pk)d 成交，成交价 %(price)s 元")
                     % {"pk": row.pk, "price": row.final_price})
    terms = AgreementTerms(title=title[:200], agreement_type=AGREEMENT_TYPE[row.mode], amount=row.final_price,
                           signed_on=timezone.localdate(), county=achievement.county or row.organization.county,
                           field=achievement.field, notes=_("由挂牌交易#%(pk)d生成") % {"pk": row.pk})
    note = _("挂牌交易成交后自动生成")
    for stage in (Stage.CONTACTED, Stage.NEGOTIATING, Stage.AGREEMENT_SIGNED):
        deal = move_deal(deal_id=deal.pk, user=row.agent, to_stage=stage, expected_stage=deal.stage,
                         expected_version=deal.version, note=note,
                         agreement=terms if stage == Stage.AGREEMENT_SIGNED else None)
    row.deal = deal
    row.save(update_fields=["deal"])
    move(row, L.CONCLUDED, note=_("公示期满无异议"))
    return True


def run_due(now: dt.datetime | None = None) -> dict[str, int]:
    """Everything that is due, listing by listing. Returns how many of each step were done."""
    now = now or timezone.now()
    done = {"closed": 0, "settled": 0, "concluded": 0, "errors": 0}
    due = TransferListing.objects.filter(state__in=OPEN_FOR_BIDS, ends_at__lte=now).values_list("pk", flat=True)
    for pk in list(due):
        done["closed"] += close_bidding(pk, now)
    for pk in list(TransferListing.objects.filter(state=L.CLOSED).values_list("pk", flat=True)):
        try:
            done["settled"] += settle(pk, now)
        except PaymentServiceError:
            logger.exception("transfer listing %s: deposits not settled; retried next run", pk)
            done["errors"] += 1
    ready = TransferListing.objects.filter(state=L.PUBLICITY, publicity_ends_at__lte=now)
    for pk in list(ready.values_list("pk", flat=True)):
        try:
            done["concluded"] += conclude(pk, now)
        except (ValidationError, PermissionDenied):
            logger.exception("transfer listing %s: the deal could not be created; retried next run", pk)
            done["errors"] += 1
    return done
