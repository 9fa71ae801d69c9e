"""The pilot-base booking (中试预约) state machine, with who makes each move, in one place.

    requested ──> confirmed   (operator)            ──> done  (operator, after the trial run)
        ├───────> proposed    (operator: other dates) ──> confirmed (enterprise accepts)
        │                                            └──> declined  (enterprise turns the dates down)
        └───────> declined    (operator, with a reason)

"operator" is a member of the base's organization; "enterprise" a member of the requesting one.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.core.states import StateMachine, Transition


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

# Each move names the side that may make it. Every pair not listed is refused.
TRANSITIONS: list[Transition] = [
    Transition(B.REQUESTED, B.CONFIRMED, by=Side.OPERATOR),
    Transition(B.REQUESTED, B.PROPOSED, by=Side.OPERATOR),
    Transition(B.REQUESTED, B.DECLINED, by=Side.OPERATOR),
    Transition(B.PROPOSED, B.CONFIRMED, by=Side.ENTERPRISE),
    Transition(B.PROPOSED, B.DECLINED, by=Side.ENTERPRISE),
    Transition(B.CONFIRMED, B.DONE, by=Side.OPERATOR),
]


class BookingMachine(StateMachine):
    def refusal(self, reason: str, source: str, target: str, *, by: str | None = None) -> str:
        if reason == "wrong_side":
            return super().refusal(reason, source, target, by=by)
        return gettext("这条预约已是“%(status)s”，不能再改为“%(target)s”。") % {
            "status": self.label(source), "target": self.label(target)}


MACHINE = BookingMachine(BookingStatus, TRANSITIONS)

# A booking in one of these holds its equipment for its dates (no other may overlap it).
HOLDS_EQUIPMENT = frozenset({B.CONFIRMED, B.DONE})
