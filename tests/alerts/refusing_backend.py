"""A mail backend whose server refuses every message (for the retry-on-failure test)."""

from smtplib import SMTPRecipientsRefused

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPRecipientsRefused({m.to[0]: (550, b"mailbox unavailable") for m in email_messages})
