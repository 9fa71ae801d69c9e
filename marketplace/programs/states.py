"""The state machines of this app, with every allowed transition, in one place.

Commissioner assignment (企业科技特派员):

    proposed ──> confirmed ──> approved      (both the enterprise and the institution confirmed; bureau approves)
        └──────────┴────────> rejected      (bureau rejects at either step)

Reserve project / major key-technology result:

    proposed ──> approved                    (entered by bureau staff: approved at once)
        └─────> rejected

Both are built as the shared state machine (marketplace.core.states).
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.core.states import StateMachine


class AssignmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("待双方确认")
    CONFIRMED = "confirmed", _("待科技局审核")
    APPROVED = "approved", _("已认定")
    REJECTED = "rejected", _("不予认定")


class RecordStatus(models.TextChoices):
    PROPOSED = "proposed", _("待科技局审核")
    APPROVED = "approved", _("已认定")
    REJECTED = "rejected", _("不予认定")


A = AssignmentStatus
R = RecordStatus

ASSIGNMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    A.PROPOSED: frozenset({A.CONFIRMED, A.REJECTED}),
    A.CONFIRMED: frozenset({A.APPROVED, A.REJECTED}),
    A.APPROVED: frozenset(),
    A.REJECTED: frozenset(),
}

RECORD_TRANSITIONS: dict[str, frozenset[str]] = {
    R.PROPOSED: frozenset({R.APPROVED, R.REJECTED}),
    R.APPROVED: frozenset(),
    R.REJECTED: frozenset(),
}


class ProgramMachine(StateMachine):
    def refusal(self, reason: str, source: str, target: str, *, by: str | None = None) -> str:
        # The bureau's buttons name the action, not the target status, so the refusal names where it stands.
        return gettext("当前状态（%(state)s）不能执行此操作。") % {"state": self.label(source)}


ASSIGNMENT_MACHINE = ProgramMachine(AssignmentStatus, ASSIGNMENT_TRANSITIONS)
RECORD_MACHINE = ProgramMachine(RecordStatus, RECORD_TRANSITIONS)
