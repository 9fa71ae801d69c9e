"""The two state machines of an inquiry and its conversation (洽谈), with every allowed move, in one place.

Inquiry (answered by the listing's organization, or by the agent it was referred to):

    sent ──> accepted          (a conversation opens)
      ├────> declined          (with a reason)
      └────> referred ──> accepted
                  └─────> declined

Conversation:

    open ──> closed            (with an outcome)

Both are built as the shared state machine (marketplace.core.states).
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.core.states import StateMachine


class InquiryStatus(models.TextChoices):
    SENT = "sent", _("待答复")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已婉拒")
    REFERRED = "referred", _("已转交经纪人")


class ConversationStatus(models.TextChoices):
    OPEN = "open", _("洽谈中")
    CLOSED = "closed", _("已结束")


class Outcome(models.TextChoices):
    DEAL = "deal", _("转为商机")
    NO_DEAL = "no_deal", _("未达成合作")
    WITHDRAWN = "withdrawn", _("一方退出")


S = InquiryStatus
C = ConversationStatus

INQUIRY_TRANSITIONS: dict[str, frozenset[str]] = {
    S.SENT: frozenset({S.ACCEPTED, S.DECLINED, S.REFERRED}),
    S.REFERRED: frozenset({S.ACCEPTED, S.DECLINED}),
    S.ACCEPTED: frozenset(),
    S.DECLINED: frozenset(),
}

CONVERSATION_TRANSITIONS: dict[str, frozenset[str]] = {
    C.OPEN: frozenset({C.CLOSED}),
    C.CLOSED: frozenset(),
}

# Answering states: who may answer an inquiry in each (the listing's organization, or the agent).
ANSWERED_BY_RECIPIENT = frozenset({S.SENT})
ANSWERED_BY_AGENT = frozenset({S.REFERRED})


class InquiryMachine(StateMachine):
    def refusal(self, reason: str, source: str, target: str, *, by: str | None = None) -> str:
        # One sentence for every refusal: whoever answered first, the others learn it was answered.
        return gettext("这条咨询已是“%(status)s”，不能再改为“%(target)s”。") % {
            "status": self.label(source), "target": self.label(target)}


INQUIRY_MACHINE = InquiryMachine(InquiryStatus, INQUIRY_TRANSITIONS)
_ENDED = _("洽谈已结束。")
CONVERSATION_MACHINE = StateMachine(ConversationStatus, CONVERSATION_TRANSITIONS,
                                    messages={"same": _ENDED, "terminal": _ENDED, "not_allowed": _ENDED})
