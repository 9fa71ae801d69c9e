"""The alert e-mails: Chinese, a text and an HTML part, every link absolute on settings.SITE_BASE_URL
(read at send time, so the address the site is served on is the one in the mail), and the RFC 8058
one-click unsubscribe headers."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User

from . import selectors
from .models import Alert

UNSUBSCRIBE_SALT = "alerts.unsubscribe"


def base_url() -> str:
    # Read on every call: tests and `make run PORT=…` change it after import. Falls back to the value the
    # admin's links use (same environment variable) until the setting of its own exists everywhere.
    return (getattr(settings, "SITE_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def absolute(path: str) -> str:
    return base_url() + path


def page_path(page) -> str:
    """The page's path on its site (never Wagtail's Site host, which may not be how the site is served)."""
    parts = page.get_url_parts()
    return parts[2] if parts else "/"


def unsubscribe_token(user: User) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(user: User) -> str:
    return absolute(reverse("alerts:unsubscribe", args=[unsubscribe_token(user)]))


def _items(alerts: Sequence[Alert]) -> list[dict]:
    return [{
        "alert": alert,
        "listing_url": absolute(page_path(alert.new)),
        "matched_url": absolute(page_path(alert.mine)),
    } for alert in selectors.with_pages(alerts)]


def build_message(user: User, alerts: Sequence[Alert], *, digest: bool) -> EmailMultiAlternatives:
    name = "digest" if digest else "alert"
    unsubscribe = unsubscribe_url(user)
    context = {
        "user": user,
        "items": _items(alerts),
        "count": len(alerts),
        "inbox_url": absolute(reverse("alerts:inbox")),
        "settings_url": absolute(reverse("alerts:settings")),
        "unsubscribe_url": unsubscribe,
        "site_url": absolute("/"),
    }
    with translation.override("zh-hans"):
        subject = " ".join(render_to_string(f"alerts/email/{name}_subject.txt", context).split())
        context["subject"] = subject
        text = render_to_string(f"alerts/email/{name}.txt", context)
        html = render_to_string(f"alerts/email/{name}.html", context)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [user.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(html, "text/html")
    return message
