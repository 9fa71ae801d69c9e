"""The two state machines of an inquiry and its conversation (洽谈), with every allowed move, in one place.

Inquiry (answered by the listing's organization, or by the agent it was referred to):

    sent ──> accepted          (a conversation opens)
      ├────> declined          (with a reason)
      └────> referred ──> accepted
                  └─────> declined

Conversation:

    open ──> closed            (with an outcome)
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


def can_move_inquiry(current: str, target: str) -> bool:
    return target in INQUIRY_TRANSITIONS.get(current, frozenset())


def can_move_conversation(current: str, target: str) -> bool:
    return target in CONVERSATION_TRANSITIONS.get(current, frozenset())
