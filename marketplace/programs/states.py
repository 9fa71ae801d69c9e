"""The state machines of this app, with every allowed transition, in one place.

Commissioner assignment (企业科技特派员):

    proposed ──> confirmed ──> approved      (both the enterprise and the institution confirmed; bureau approves)
        └──────────┴────────> rejected      (bureau rejects at either step)

Reserve project / major key-technology result:

    proposed ──> approved                    (entered by bureau staff: approved at once)
        └─────> rejected
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


def can_transition_assignment(current: str, target: str) -> bool:
    return target in ASSIGNMENT_TRANSITIONS.get(current, frozenset())


def can_transition_record(current: str, target: str) -> bool:
    return target in RECORD_TRANSITIONS.get(current, frozenset())
