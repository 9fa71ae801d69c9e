"""Messages, read receipts, inviting an agent and closing a conversation with its outcome."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import PlatformRole, User
from accounts.permissions import organization_ids_for
from marketplace.core.one_time import claim_submission

from .. import selectors
from ..models import Conversation, Message, ReadReceipt
from ..states import CONVERSATION_MACHINE, ConversationStatus


def _locked_open(conversation: Conversation, user: User) -> Conversation:
    conversation = Conversation.objects.select_for_update().select_related("inquiry").get(pk=conversation.pk)
    if not selectors.is_participant(user, conversation):
        raise PermissionDenied(_("只有洽谈双方可以参与。"))
    if not conversation.is_open:
        raise ValidationError(_("洽谈已结束。"))
    return conversation


@transaction.atomic
def post_message(*, user: User, conversation: Conversation, body: str,
                 submission_token: str | None = None, attachment=None) -> Message:
    conversation = _locked_open(conversation, user)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("请输入消息内容。")})
    claim_submission(submission_token, user)
    message = Message(conversation=conversation, author=user, body=body, attachment=attachment)
    message.full_clean()
    message.save()
    # The author has read their own message.
    _read_up_to(conversation, user, message.created_at)
    return message


def _read_up_to(conversation: Conversation, user: User, moment) -> None:
    receipt, created = ReadReceipt.objects.get_or_create(
        conversation=conversation, user=user, defaults={"last_read_at": moment})
    if not created and (receipt.last_read_at is None or receipt.last_read_at < moment):
        receipt.last_read_at = moment
        receipt.save(update_fields=["last_read_at"])


@transaction.atomic
def mark_read(*, user: User, conversation: Conversation) -> None:
    """The participant has seen the conversation as it stands now."""
    if not selectors.is_participant(user, conversation):
        raise PermissionDenied(_("只有洽谈双方可以参与。"))
    _read_up_to(conversation, user, timezone.now())


@transaction.atomic
def invite_agent(*, user: User, conversation: Conversation, agent: User) -> Conversation:
    conversation = _locked_open(conversation, user)
    if agent.role != PlatformRole.AGENT:
        raise ValidationError({"agent": _("只能邀请技术经纪人。")})
    if conversation.agent_id is not None:
        raise ValidationError({"agent": _("本次洽谈已有技术经纪人。")})
    conversation.agent = agent
    conversation.save(update_fields=["agent"])
    return conversation


@transaction.atomic
def close_conversation(*, user: User, conversation: Conversation, outcome: str, note: str = "") -> Conversation:
    conversation = _locked_open(conversation, user)
    conversation.status = CONVERSATION_MACHINE.check(conversation.status, ConversationStatus.CLOSED).target
    conversation.outcome = outcome
    conversation.outcome_note = note.strip()
    conversation.closed_at = timezone.now()
    conversation.closed_by = user
    conversation.full_clean()
    conversation.save(update_fields=["status", "outcome", "outcome_note", "closed_at", "closed_by"])
    return conversation


@transaction.atomic
def share_contact(*, user: User, conversation: Conversation) -> Conversation:
    """The user's organization agrees to exchange contact details; they show once both sides agree."""
    conversation = _locked_open(conversation, user)
    orgs = organization_ids_for(user)
    if conversation.inquiry.recipient_org_id in orgs:
        conversation.recipient_shares_contact = True
    elif conversation.inquiry.sender_org_id in orgs:
        conversation.sender_shares_contact = True
    else:
        raise PermissionDenied(_("只有洽谈双方机构可以交换联系方式。"))
    conversation.save(update_fields=["sender_shares_contact", "recipient_shares_contact"])
    return conversation
