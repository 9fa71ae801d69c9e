"""Reporting a message, bureau staff reading a reported conversation (logged), suspending an account."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import is_bureau

from .. import selectors
from ..models import Conversation, ConversationAccess, Message, MessageReport, Suspension


@transaction.atomic
def report_message(*, user: User, message: Message, reason: str) -> MessageReport:
    if not selectors.is_participant(user, message.conversation):
        raise PermissionDenied(_("只有洽谈参与方可以举报消息。"))
    if message.author_id == user.pk:
        raise ValidationError(_("不能举报自己发送的消息。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写举报理由。")})
    report, _created = MessageReport.objects.get_or_create(message=message, reporter=user,
                                                           defaults={"reason": reason.strip()})
    return report


def log_bureau_read(*, user: User, conversation: Conversation) -> ConversationAccess:
    if not selectors.bureau_may_read(user, conversation):
        raise PermissionDenied(_("只有被举报的洽谈才能由科技局查看。"))
    return ConversationAccess.objects.create(conversation=conversation, user=user)


@transaction.atomic
def suspend(*, by: User, user: User, reason: str) -> Suspension:
    if not is_bureau(by):
        raise PermissionDenied(_("仅科技局工作人员可以暂停账号。"))
    if user.pk == by.pk or user.is_superuser or is_bureau(user):
        raise ValidationError(_("不能暂停科技局工作人员或自己的账号。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写暂停原因。")})
    locked = User.objects.select_for_update().get(pk=user.pk)
    if Suspension.objects.filter(user=locked, lifted_at__isnull=True).exists():
        raise ValidationError(_("该账号已处于暂停状态。"))
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    return Suspension.objects.create(user=locked, reason=reason.strip(), by=by)


@transaction.atomic
def lift(*, by: User, suspension: Suspension) -> Suspension:
    if not is_bureau(by):
        raise PermissionDenied(_("仅科技局工作人员可以恢复账号。"))
    suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
    if suspension.lifted_at is not None:
        raise ValidationError(_("该暂停已解除。"))
    suspension.lifted_at, suspension.lifted_by = timezone.now(), by
    suspension.save(update_fields=["lifted_at", "lifted_by"])
    User.objects.filter(pk=suspension.user_id).update(is_active=True)
    return suspension
