"""New-message e-mail, batched: one e-mail per person per run listing their conversations with unread
messages, never one per message and never the same message twice. Run every half hour or so by
`manage.py send_inquiry_digests` (cron or a systemd timer)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .. import selectors
from ..models import Conversation, Message, ReadReceipt
from .notify import absolute


def _pending(conversation: Conversation, receipt: ReadReceipt | None, user: User, now: datetime) -> int:
    marks = [m for m in (receipt and receipt.last_read_at, receipt and receipt.notified_up_to) if m]
    messages = Message.objects.filter(conversation=conversation, created_at__lte=now).exclude(author=user)
    if marks:
        messages = messages.filter(created_at__gt=max(marks))
    return messages.count()


@transaction.atomic
def send_message_digests(now: datetime | None = None) -> int:
    """Mail every participant who has messages neither read nor mailed yet. Returns e-mails sent."""
    now = now or timezone.now()
    # Rows are locked so two overlapping runs cannot both mail the same messages.
    with_messages = Message.objects.filter(created_at__lte=now).values("conversation_id")
    conversations = (Conversation.objects.select_for_update(of=("self",))
                     .filter(pk__in=with_messages).order_by("pk")
                     .select_related("inquiry__sender_org", "inquiry__recipient_org", "agent"))
    waiting: dict[User, list[tuple[Conversation, int]]] = defaultdict(list)
    for conversation in conversations:
        receipts = {r.user_id: r for r in ReadReceipt.objects.filter(conversation=conversation)}
        for user in selectors.participants(conversation):
            count = _pending(conversation, receipts.get(user.pk), user, now)
            if count:
                waiting[user].append((conversation, count))
    for user, items in waiting.items():
        for conversation, _count in items:
            ReadReceipt.objects.update_or_create(conversation=conversation, user=user,
                                                 defaults={"notified_up_to": now})
        if user.email:
            lines = [_("%(title)s：%(count)d 条新消息 %(link)s") % {
                "title": c.inquiry.listing_title, "count": n,
                "link": absolute(reverse("inquiries:conversation", args=[c.pk]))} for c, n in items]
            body = _("您在滨州技术交易公共服务平台有未读的洽谈消息：") + "\n\n" + "\n".join(lines)
            to = [user.email]
            transaction.on_commit(lambda body=body, to=to: send_mail(
                _("您有新的洽谈消息"), body, settings.DEFAULT_FROM_EMAIL, to))
    return sum(1 for user in waiting if user.email)
