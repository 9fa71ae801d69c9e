"""E-mail through a task, behind Django's own API: code keeps building EmailMessage / EmailMultiAlternatives
and calling send() or send_mail(); this backend turns each message into JSON and enqueues `send_email`
after the transaction commits. The task rebuilds the message and hands it to EMAIL_DELIVERY_BACKEND
(SMTP in production), retrying with backoff while the mail server is unreachable."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from email.mime.base import MIMEBase
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend

from .base import RecordedTask


def message_to_json(message: EmailMessage) -> dict[str, Any]:
    attachments = []
    for item in message.attachments:
        if isinstance(item, MIMEBase):  # a prepared MIME part: keep its bytes and type
            payload = item.get_payload(decode=True) or b""
            attachments.append([item.get_filename() or "attachment", base64.b64encode(payload).decode(),
                                item.get_content_type()])
            continue
        filename, content, mimetype = item
        raw = content.encode() if isinstance(content, str) else content
        attachments.append([filename, base64.b64encode(raw).decode(), mimetype])
    return {
        "subject": message.subject, "body": message.body, "from_email": message.from_email,
        "to": list(message.to), "cc": list(message.cc), "bcc": list(message.bcc),
        "reply_to": list(message.reply_to), "headers": dict(message.extra_headers),
        "alternatives": [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        "attachments": attachments, "content_subtype": message.content_subtype,
    }


def message_from_json(data: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"], body=data["body"], from_email=data["from_email"], to=data["to"],
        cc=data["cc"], bcc=data["bcc"], reply_to=data["reply_to"], headers=data["headers"],
        alternatives=[tuple(a) for a in data["alternatives"]])
    message.content_subtype = data.get("content_subtype", "plain")
    for filename, encoded, mimetype in data["attachments"]:
        message.attach(filename, base64.b64decode(encoded), mimetype)
    return message


@shared_task(base=RecordedTask, name="jobs.send_email")
def send_email(data: dict[str, Any]) -> None:
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False)
    connection.send_messages([message_from_json(data)])


class TaskEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from .services import enqueue

        for message in email_messages:
            enqueue(send_email, message_to_json(message))
        return len(email_messages)
