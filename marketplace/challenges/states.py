"""The two state machines of a 揭榜挂帅 challenge, with every allowed transition, in one place.

Challenge (run-time state, kept on ChallengeOutcome, never on the page revision):

    open ──> awarded ──> subsidized
      └────> closed            (closed without an award)

Application:

    submitted ──> selected
        └──────> not_selected  (another application was selected, or the challenge closed)

Both are built as the shared state machine (marketplace.core.states); services ask it, never the
tables directly.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.core.states import StateMachine, TransitionRefused


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


class InvalidTransition(TransitionRefused):
    """The challenge (or application) is not in a status that allows this step."""


def _refusals(sentence) -> dict:
    # One sentence for every refusal, as the challenge pages have always said it.
    return {"same": sentence, "terminal": sentence, "not_allowed": sentence, "options": ""}


CHALLENGE_MACHINE = StateMachine(
    ChallengeStatus, CHALLENGE_TRANSITIONS, refused=InvalidTransition,
    messages=_refusals(_("榜单状态不能从“%(from)s”变为“%(to)s”。")))
APPLICATION_MACHINE = StateMachine(
    ApplicationStatus, APPLICATION_TRANSITIONS, refused=InvalidTransition,
    messages=_refusals(_("申请状态不能从“%(from)s”变为“%(to)s”。")))
