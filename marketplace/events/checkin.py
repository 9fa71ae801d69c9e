"""Check-in credentials: a short code printed on the ticket, and a signed token inside the QR code.

The QR code encodes an absolute URL to the check-in endpoint carrying a signed token; only the
organizer's session can act on it, so a leaked ticket cannot check anyone in by itself."""

from __future__ import annotations

import base64
import io
import secrets

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core import signing
from django.urls import reverse

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed
CODE_LENGTH = 8
TOKEN_SALT = "events.checkin"


def new_checkin_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def make_token(participant) -> str:
    return signing.dumps({"p": participant.pk, "c": participant.checkin_code}, salt=TOKEN_SALT, compress=True)


def read_token(token: str) -> tuple[int, str]:
    """(participant id, check-in code); raises signing.BadSignature for a forged or garbled token."""
    data = signing.loads(token, salt=TOKEN_SALT)
    return int(data["p"]), str(data["c"])


def checkin_url(participant) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("events:checkin_token", args=[make_token(participant)])


def qr_svg_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
