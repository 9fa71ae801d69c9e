"""Verification of an agreement as data, modelled on 技术合同认定登记: the states, which moves are allowed,
who may make each move and what it needs.

    recorded ──request──▶ awaiting_confirmation ──both sides confirm──▶ submitted ──▶ verified
        │                          │                                        │
        └──────────────▶ rejected ◀┘                                        ├──▶ returned ──resubmit──▶ awaiting…
                                                                            └──▶ rejected

Everything that asks "may this agreement go from A to B?" reads TRANSITIONS; the tests iterate over it
(every pair of states). services.apply_transition is the one place that changes the state."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


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
class Move:
    actors: frozenset[str]
    needs_reason: bool = False  # the bureau must say why (returned, rejected)
    needs_scan: bool = False  # the signed contract's scan is attached
    needs_confirmations: bool = False  # the enterprise side and the academic side have confirmed
    needs_verified_parties: bool = False  # every party is a verified organization, no open duplicate flag
    resets_confirmations: bool = False  # the terms may have changed: both sides confirm again


TRANSITIONS: dict[str, dict[str, Move]] = {
    Status.RECORDED: {
        Status.AWAITING_CONFIRMATION: Move(frozenset({ENTRANT, PARTY, BUREAU}), needs_scan=True),
        Status.REJECTED: Move(frozenset({BUREAU}), needs_reason=True),
    },
    Status.AWAITING_CONFIRMATION: {
        Status.SUBMITTED: Move(frozenset({PARTY, BUREAU}), needs_scan=True, needs_confirmations=True),
        Status.REJECTED: Move(frozenset({BUREAU}), needs_reason=True),
    },
    Status.SUBMITTED: {
        Status.VERIFIED: Move(
            frozenset({BUREAU}), needs_scan=True, needs_confirmations=True, needs_verified_parties=True
        ),
        Status.RETURNED: Move(frozenset({BUREAU}), needs_reason=True),
        Status.REJECTED: Move(frozenset({BUREAU}), needs_reason=True),
    },
    Status.RETURNED: {
        Status.AWAITING_CONFIRMATION: Move(
            frozenset({ENTRANT, PARTY, BUREAU}), needs_scan=True, resets_confirmations=True
        ),
        Status.REJECTED: Move(frozenset({BUREAU}), needs_reason=True),
    },
    Status.VERIFIED: {},
    Status.REJECTED: {},
}

TERMINAL: frozenset[str] = frozenset(s for s, moves in TRANSITIONS.items() if not moves)
# The terms (title, amount, parties...) may be changed only before submission or after a return.
EDITABLE: frozenset[str] = frozenset({Status.RECORDED, Status.RETURNED})
# Counted as "pending" on the dashboard: on the way to a decision.
PENDING: frozenset[str] = frozenset({Status.RECORDED, Status.AWAITING_CONFIRMATION, Status.SUBMITTED})
# The contract scan may be attached or replaced only while the terms are open too: once the parties are asked to
# confirm, they confirm THIS file, so it is frozen; a wrong scan is fixed by the bureau returning the agreement.
EVIDENCE_OPEN: frozenset[str] = EDITABLE


class TransitionRefused(ValidationError):
    """A move the table does not allow, or whose needs are not met; the message says why."""


def label(status: str) -> str:
    return str(dict(Status.choices).get(status, status))


def allowed_targets(status: str) -> list[str]:
    order = {s: i for i, s in enumerate(Status.values)}
    return sorted(TRANSITIONS.get(status, {}), key=order.__getitem__)


def move_for(from_status: str, to_status: str) -> Move:
    """The Move from_status -> to_status, or TransitionRefused with the reason."""
    if from_status not in TRANSITIONS or to_status not in TRANSITIONS:
        raise TransitionRefused(gettext("未知的协议状态。"))
    if from_status == to_status:
        raise TransitionRefused(gettext("协议已处于“%(s)s”状态。") % {"s": label(from_status)})
    if from_status in TERMINAL:
        raise TransitionRefused(gettext("协议已“%(s)s”，状态不能再变更。") % {"s": label(from_status)})
    move = TRANSITIONS[from_status].get(to_status)
    if move is None:
        options = "、".join(label(s) for s in allowed_targets(from_status))
        raise TransitionRefused(
            gettext("不能从“%(a)s”转为“%(b)s”；当前可以转为：%(options)s。")
            % {"a": label(from_status), "b": label(to_status), "options": options}
        )
    return move
