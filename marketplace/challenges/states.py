"""The two state machines of a 揭榜挂帅 challenge, with every allowed transition, in one place.

Challenge (run-time state, kept on ChallengeOutcome, never on the page revision):

    open ──> awarded ──> subsidized
      └────> closed            (closed without an award)

Application:

    submitted ──> selected
        └──────> not_selected  (another application was selected, or the challenge closed)
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChallengeStatus(models.TextChoices):
    OPEN = "open", _("揭榜中")
    AWARDED = "awarded", _("已选定揭榜方")
    SUBSIDIZED = "subsidized", _("已获科创券补助")
    CLOSED = "closed", _("已关闭（未选定）")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    SELECTED = "selected", _("已选定")
    NOT_SELECTED = "not_selected", _("未选定")


C = ChallengeStatus
A = ApplicationStatus

CHALLENGE_TRANSITIONS: dict[str, frozenset[str]] = {
    C.OPEN: frozenset({C.AWARDED, C.CLOSED}),
    C.AWARDED: frozenset({C.SUBSIDIZED}),
    C.SUBSIDIZED: frozenset(),
    C.CLOSED: frozenset(),
}

APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    A.SUBMITTED: frozenset({A.SELECTED, A.NOT_SELECTED}),
    A.SELECTED: frozenset(),
    A.NOT_SELECTED: frozenset(),
}


def can_transition(current: str, target: str) -> bool:
    return target in CHALLENGE_TRANSITIONS.get(current, frozenset())


def can_transition_application(current: str, target: str) -> bool:
    return target in APPLICATION_TRANSITIONS.get(current, frozenset())
