"""The deal pipeline as data: the stages, which moves are allowed, and what each move needs.

Everything that asks "may this deal go from A to B?" asks MACHINE (the shared state-machine helper
built from TRANSITIONS); add a stage here and the tests (which iterate over this table) cover it."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.core.states import StateMachine
from marketplace.core.states import TransitionRefused as TransitionRefused  # what callers of the pipeline catch


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


class Pipeline(StateMachine):
    """The deal pipeline's refusals name the stage and tell a skip from a step back."""

    def refusal(self, reason: str, source: str, target: str, *, by: str | None = None) -> str:
        if reason == "unknown_source":
            return gettext("未知的当前阶段“%(stage)s”。") % {"stage": source}
        if reason == "unknown_target":
            return gettext("未知的目标阶段“%(stage)s”。") % {"stage": target}
        if reason == "same":
            return gettext("商机已处于“%(stage)s”阶段。") % {"stage": self.label(source)}
        if reason == "terminal":
            return gettext("商机已结束（%(stage)s），不能再变更阶段。") % {"stage": self.label(source)}
        if reason == "not_allowed":
            if target in PIPELINE and PIPELINE.index(target) < PIPELINE.index(source):
                why = gettext("商机不能退回到“%(to)s”。")
            else:
                why = gettext("不能从“%(from)s”直接进入“%(to)s”，不能跳过阶段。")
            options = "、".join(self.label(s) for s in self.targets(source))
            return (why % {"from": self.label(source), "to": self.label(target)} + " "
                    + gettext("当前可以转入：%(options)s。") % {"options": options})
        return super().refusal(reason, source, target, by=by)


MACHINE = Pipeline(Stage, TRANSITIONS, field="stage", noun=_("商机"))

# A stage nobody leaves ends the deal: closed and lost.
TERMINAL_STAGES: frozenset[str] = MACHINE.terminal
OPEN_STAGES: list[str] = [s for s in PIPELINE if s not in TERMINAL_STAGES]
