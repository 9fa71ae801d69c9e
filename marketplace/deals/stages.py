"""The deal pipeline as data: the stages, which moves are allowed, and what each move needs.

Everything that asks "may this deal go from A to B?" reads TRANSITIONS; add a stage here and the
tests (which iterate over this table) cover it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    LEAD = "lead", _("线索")
    CONTACTED = "contacted", _("已接洽")
    NEGOTIATING = "negotiating", _("洽谈中")
    AGREEMENT_SIGNED = "agreement_signed", _("已签约")
    CONTRACT_REGISTERED = "contract_registered", _("合同已登记")
    EXECUTING = "executing", _("执行中")
    CLOSED = "closed", _("已完成")
    LOST = "lost", _("已流失")


# The forward path, in order. A deal moves one step at a time; none may be skipped.
PIPELINE: list[str] = [
    Stage.LEAD,
    Stage.CONTACTED,
    Stage.NEGOTIATING,
    Stage.AGREEMENT_SIGNED,
    Stage.CONTRACT_REGISTERED,
    Stage.EXECUTING,
    Stage.CLOSED,
]
TERMINAL_STAGES: frozenset[str] = frozenset({Stage.CLOSED, Stage.LOST})
OPEN_STAGES: list[str] = [s for s in PIPELINE if s not in TERMINAL_STAGES]

# from stage -> stages it may move to. Lost is reachable from every open stage.
TRANSITIONS: dict[str, frozenset[str]] = {
    **{stage: frozenset({PIPELINE[i + 1], Stage.LOST}) for i, stage in enumerate(PIPELINE[:-1])},
    Stage.CLOSED: frozenset(),
    Stage.LOST: frozenset(),
}

# What the person making a move must supply.
NEEDS_AGREEMENT = Stage.AGREEMENT_SIGNED  # the signed agreement's details (an Agreement row is created)
NEEDS_REGISTRATION = Stage.CONTRACT_REGISTERED  # the technology-contract registration number and amount
NEEDS_REASON = Stage.LOST  # why the deal was lost


class TransitionRefused(ValidationError):
    """A move the pipeline does not allow; the message says why, for the person who tried it."""


def label(stage: str) -> str:
    return str(dict(Stage.choices).get(stage, stage))


def allowed_targets(stage: str) -> list[str]:
    """The moves open from `stage`, forward step first, in pipeline order."""
    order = {s: i for i, s in enumerate([*PIPELINE, Stage.LOST])}
    return sorted(TRANSITIONS.get(stage, frozenset()), key=order.__getitem__)


def check_transition(from_stage: str, to_stage: str) -> None:
    """Raise TransitionRefused with the reason when from_stage -> to_stage is not allowed."""
    if from_stage not in TRANSITIONS:
        raise TransitionRefused(
            gettext("未知的当前阶段“%(stage)s”。") % {"stage": from_stage}
        )
    if to_stage not in TRANSITIONS:
        raise TransitionRefused(
            gettext("未知的目标阶段“%(stage)s”。") % {"stage": to_stage}
        )
    if to_stage == from_stage:
        raise TransitionRefused(
            gettext("商机已处于“%(stage)s”阶段。")
            % {"stage": label(from_stage)}
        )
    if from_stage in TERMINAL_STAGES:
        raise TransitionRefused(
            gettext(
                "商机已结束（%(stage)s），不能再变更阶段。"
            )
            % {"stage": label(from_stage)}
        )
    if to_stage not in TRANSITIONS[from_stage]:
        options = "、".join(label(s) for s in allowed_targets(from_stage))
        if to_stage in PIPELINE and PIPELINE.index(to_stage) < PIPELINE.index(from_stage):
            why = gettext("商机不能退回到“%(to)s”。")
        else:
            why = gettext("不能从“%(from)s”直接进入“%(to)s”，不能跳过阶段。")
        raise TransitionRefused(
            why % {"from": label(from_stage), "to": label(to_stage)}
            + " "
            + gettext("当前可以转入：%(options)s。") % {"options": options}
        )
