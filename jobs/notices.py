"""Reminders sent by beat's periodic jobs: Chinese mail with a text and an HTML part, every link absolute on
settings.SITE_BASE_URL (read at send time), each sent at most once per key (jobs.models.SentNotice)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from .services import claim_notice


def site_url(path: str) -> str:
    """An absolute link on the address the site is served on (SITE_BASE_URL; the admin's base URL, which
    follows the same environment variable, until that setting exists everywhere)."""
    base = getattr(settings, "SITE_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + path


def send_notice_once(*, key: str, to: Sequence[str], template: str, context: dict[str, Any]) -> bool:
    """Render `template`_subject.txt / .txt / .html and send it, unless `key` was sent before. True if sent.
    The caller's transaction decides: the claim and the mail (enqueued on commit) stand or fall together."""
    recipients = sorted({address for address in to if address})
    if not recipients or not claim_notice(key):
        return False
    with translation.override("zh-hans"):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, recipients)
    message.attach_alternative(html, "text/html")
    message.send()
    return True
