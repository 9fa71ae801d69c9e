"""The state machines of a listed transfer (挂牌交易) and of a bidder's deposit (保证金), as data.

Listing:

    draft ──> pending ──> listed ──> bidding ──> closed ──> publicity ──> concluded
      ^          │          │                      │            │  ^
      └─rejected─┘          ├──> closed            └──> failed  v  │ (objection dismissed)
                            └──> withdrawn                    objection ──> failed (upheld)
    draft/pending ──> withdrawn

* closed: bidding is over and the winner is fixed; deposits are being settled with Stripe. It is its own
  state so that a Stripe failure while settling leaves the listing here and the next run retries.
* publicity: the 成交公示 is public; any signed-in person may object until it ends.

Deposit: pending ──> held ──> released | captured ──> refunded (an upheld objection);
pending ──> failed (the payment did not go through) ──> pending (tried again).

Both are built as the shared state machine (marketplace.core.states).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.core.states import StateMachine


class ListingState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING = "pending", _("待审核")
    LISTED = "listed", _("挂牌中")
    BIDDING = "bidding", _("竞价中")
    CLOSED = "closed", _("已截止")
    PUBLICITY = "publicity", _("成交公示中")
    OBJECTION = "objection", _("异议处理中")
    CONCLUDED = "concluded", _("已成交")
    FAILED = "failed", _("未成交")
    WITHDRAWN = "withdrawn", _("已撤回")


class DepositState(models.TextChoices):
    PENDING = "pending", _("待支付")
    HELD = "held", _("已冻结")
    RELEASED = "released", _("已解冻退还")
    CAPTURED = "captured", _("已转为价款")
    REFUNDED = "refunded", _("已退款")
    FAILED = "failed", _("支付失败")


L = ListingState
D = DepositState

LISTING_TRANSITIONS: dict[str, frozenset[str]] = {
    L.DRAFT: frozenset({L.PENDING, L.WITHDRAWN}),
    L.PENDING: frozenset({L.LISTED, L.DRAFT, L.WITHDRAWN}),
    L.LISTED: frozenset({L.BIDDING, L.CLOSED, L.WITHDRAWN}),
    L.BIDDING: frozenset({L.CLOSED}),
    L.CLOSED: frozenset({L.PUBLICITY, L.FAILED}),
    L.PUBLICITY: frozenset({L.OBJECTION, L.CONCLUDED}),
    L.OBJECTION: frozenset({L.PUBLICITY, L.FAILED}),
    L.CONCLUDED: frozenset(),
    L.FAILED: frozenset(),
    L.WITHDRAWN: frozenset(),
}

DEPOSIT_TRANSITIONS: dict[str, frozenset[str]] = {
    D.PENDING: frozenset({D.HELD, D.FAILED}),
    D.HELD: frozenset({D.RELEASED, D.CAPTURED}),
    D.CAPTURED: frozenset({D.REFUNDED}),
    D.RELEASED: frozenset(),
    D.REFUNDED: frozenset(),
    D.FAILED: frozenset({D.PENDING}),  # the bidder may try to pay again
}

# Who sees the listing's public page: once the bureau approved it, for good.
PUBLIC_STATES = frozenset({L.LISTED, L.BIDDING, L.CLOSED, L.PUBLICITY, L.OBJECTION, L.CONCLUDED, L.FAILED})
OPEN_FOR_BIDS = frozenset({L.LISTED, L.BIDDING})
OBJECTABLE = frozenset({L.PUBLICITY})


_REFUSED = _("挂牌交易不能从“%(from)s”变为“%(to)s”。")
LISTING_MACHINE = StateMachine(
    ListingState, LISTING_TRANSITIONS, field="state",
    messages={"same": _REFUSED, "terminal": _REFUSED, "not_allowed": _REFUSED, "options": ""})
DEPOSIT_MACHINE = StateMachine(DepositState, DEPOSIT_TRANSITIONS, field="deposit_state", noun=_("保证金"))
