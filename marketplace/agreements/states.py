"""Verification of an agreement as data, modelled on 技术合同认定登记: the states, which moves are allowed,
who may make each move and what it needs.

    recorded ──request──▶ awaiting_confirmation ──both sides confirm──▶ submitted ──▶ verified
        │                          │                                        │
        └──────────────▶ rejected ◀┘                                        ├──▶ returned ──resubmit──▶ awaiting…
                                                                            └──▶ rejected

Everything that asks "may this agreement go from A to B?" asks MACHINE (the shared state-machine helper
built from MOVES); the tests iterate over it (every pair of states). verification.apply_transition is the
one place that changes the state."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.core.states import StateMachine, Transition
from marketplace.core.states import TransitionRefused as TransitionRefused  # what callers of verification catch


class Status(models.TextChoices):
    RECORDED = "recorded", _("已录入")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("待双方确认")
    SUBMITTED = "submitted", _("已提交认定")
    VERIFIED = "verified", _("已认定")
    RETURNED = "returned", _("已退回补正")
    REJECTED = "rejected", _("不予认定")


# Who may make a move. The bureau may make every move (on paper contracts it acts for the parties).
ENTRANT = "entrant"  # the person who recorded the agreement
PARTY = "party"  # a member of one of the signing organizations
BUREAU = "bureau"


@dataclass(frozen=True)
class Move(Transition):
    actors: frozenset[str] = frozenset()
    needs_reason: bool = False  # the bureau must say why (returned, rejected)
    needs_scan: bool = False  # the signed contract's scan is attached
    needs_confirmations: bool = False  # the enterprise side and the academic side have confirmed
    needs_verified_parties: bool = False  # every party is a verified organization, no open duplicate flag
    resets_confirmations: bool = False  # the terms may have changed: both sides confirm again


S = Status
ANYONE = frozenset({ENTRANT, PARTY, BUREAU})
ONLY_BUREAU = frozenset({BUREAU})

# Verified and rejected are left by no move: they are final.
MOVES: list[Move] = [
    Move(S.RECORDED, S.AWAITING_CONFIRMATION, actors=ANYONE, needs_scan=True),
    Move(S.RECORDED, S.REJECTED, actors=ONLY_BUREAU, needs_reason=True),
    Move(S.AWAITING_CONFIRMATION, S.SUBMITTED, actors=frozenset({PARTY, BUREAU}), needs_scan=True,
         needs_confirmations=True),
    Move(S.AWAITING_CONFIRMATION, S.REJECTED, actors=ONLY_BUREAU, needs_reason=True),
    Move(S.SUBMITTED, S.VERIFIED, actors=ONLY_BUREAU, needs_scan=True, needs_confirmations=True,
         needs_verified_parties=True),
    Move(S.SUBMITTED, S.RETURNED, actors=ONLY_BUREAU, needs_reason=True),
    Move(S.SUBMITTED, S.REJECTED, actors=ONLY_BUREAU, needs_reason=True),
    Move(S.RETURNED, S.AWAITING_CONFIRMATION, actors=ANYONE, needs_scan=True, resets_confirmations=True),
    Move(S.RETURNED, S.REJECTED, actors=ONLY_BUREAU, needs_reason=True),
]


class Verification(StateMachine):
    """Refusals worded as the verification desk words them."""

    def refusal(self, reason: str, source: str, target: str, *, by: str | None = None) -> str:
        if reason in ("unknown_source", "unknown_target"):
            return gettext("未知的协议状态。")
        if reason == "same":
            return gettext("协议已处于“%(s)s”状态。") % {"s": self.label(source)}
        if reason == "terminal":
            return gettext("协议已“%(s)s”，状态不能再变更。") % {"s": self.label(source)}
        if reason == "not_allowed":
            options = "、".join(self.label(s) for s in self.targets(source))
            return gettext("不能从“%(a)s”转为“%(b)s”；当前可以转为：%(options)s。") % {
                "a": self.label(source), "b": self.label(target), "options": options}
        return super().refusal(reason, source, target, by=by)


MACHINE = Verification(Status, MOVES, noun=_("协议"))


def moves_from(status: str) -> list[Move]:
    """The moves open from `status`, in the order the statuses are declared."""
    return [MACHINE.row(status, target) for target in MACHINE.targets(status)]


TERMINAL: frozenset[str] = MACHINE.terminal
# The terms (title, amount, parties...) may be changed only before submission or after a return.
EDITABLE: frozenset[str] = frozenset({Status.RECORDED, Status.RETURNED})
# Counted as "pending" on the dashboard: on the way to a decision.
PENDING: frozenset[str] = frozenset({Status.RECORDED, Status.AWAITING_CONFIRMATION, Status.SUBMITTED})
# The contract scan may be attached or replaced only while the terms are open too: once the parties are asked to
# confirm, they confirm THIS file, so it is frozen; a wrong scan is fixed by the bureau returning the agreement.
EVIDENCE_OPEN: frozenset[str] = EDITABLE
