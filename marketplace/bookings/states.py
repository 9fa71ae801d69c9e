"""The pilot-base booking (中试预约) state machine, with who makes each move, in one place.

    requested ──> confirmed   (operator)            ──> done  (operator, after the trial run)
        ├───────> proposed    (operator: other dates) ──> confirmed (enterprise accepts)
        │                                            └──> declined  (enterprise turns the dates down)
        └───────> declined    (operator, with a reason)

"operator" is a member of the base's organization; "enterprise" a member of the requesting one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("待确认")
    PROPOSED = "proposed", _("基地建议改期")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("已婉拒")
    DONE = "done", _("已完成")


class Side(models.TextChoices):
    OPERATOR = "operator", _("基地运营方")
    ENTERPRISE = "enterprise", _("预约企业")


B = BookingStatus

# (from, to) -> the side that may make the move. Every pair not listed is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (B.REQUESTED, B.CONFIRMED): Side.OPERATOR,
    (B.REQUESTED, B.PROPOSED): Side.OPERATOR,
    (B.REQUESTED, B.DECLINED): Side.OPERATOR,
    (B.PROPOSED, B.CONFIRMED): Side.ENTERPRISE,
    (B.PROPOSED, B.DECLINED): Side.ENTERPRISE,
    (B.CONFIRMED, B.DONE): Side.OPERATOR,
}

# A booking in one of these holds its equipment for its dates (no other may overlap it).
HOLDS_EQUIPMENT = frozenset({B.CONFIRMED, B.DONE})


def side_for(current: str, target: str) -> str | None:
    """Who may move a booking from `current` to `target`; None when the move does not exist."""
    return TRANSITIONS.get((current, target))


def moves_from(current: str, side: str) -> list[str]:
    return [target for (source, target), who in TRANSITIONS.items() if source == current and who == side]
