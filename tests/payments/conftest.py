"""Payments are tested against the running stripe-mock (services/stripe_mock.sh start) and with webhook
payloads signed exactly the way Stripe signs them."""

import hashlib
import hmac
import json
import os
import time
import urllib.request
import uuid

import pytest

from tests.conftest import require_service
from tests.events.conftest import event_site, organizer  # noqa: F401 - shared fixtures

STRIPE_MOCK_URL = os.environ.get("STRIPE_API_BASE") or "http://127.0.0.1:12111"
WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET") or "whsec_test_techmarket"


def _stripe_mock_answers() -> tuple[bool, str]:
    request = urllib.request.Request(f"{STRIPE_MOCK_URL}/v1/customers",
                                     headers={"Authorization": "Bearer sk_test_123"})
    try:
        with urllib.request.urlopen(request, timeout=3) as response:
            return response.status == 200, f"HTTP {response.status}"
    except OSError as error:
        return False, f"{STRIPE_MOCK_URL} did not answer ({error}); run services/stripe_mock.sh start"


@pytest.fixture(scope="session")
def stripe_mock_url() -> str:
    ok, reason = _stripe_mock_answers()
    require_service("stripe-mock", ok, reason)
    return STRIPE_MOCK_URL


@pytest.fixture
def stripe_settings(settings, stripe_mock_url):
    settings.STRIPE_SECRET_KEY = "sk_test_123"
    settings.STRIPE_API_BASE = stripe_mock_url
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


def sign(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The Stripe-Signature header: t=<unix time>,v1=HMAC-SHA256(secret, "<t>.<payload>")."""
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def stripe_event(event_type: str, obj: dict, event_id: str | None = None) -> bytes:
    return json.dumps({
        "id": event_id or f"evt_{uuid.uuid4().hex[:24]}", "object": "event",
        "api_version": "2026-10-28.endive",
        "created": int(time.time()), "type": event_type, "livemode": False, "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None}, "data": {"object": obj},
    }).encode()


def session_object(payment, *, payment_status: str = "paid", status: str = "complete",
                   payment_intent: str | None = None, amount_total: int | None = None) -> dict:
    from marketplace.payments.services import to_fen

    return {
        "id": payment.stripe_session_id, "object": "checkout.session", "mode": "payment",
        "payment_status": payment_status, "status": status, "currency": "cny",
        "amount_total": to_fen(payment.amount) if amount_total is None else amount_total,
        "payment_intent": payment_intent or f"pi_{uuid.uuid4().hex[:24]}",
        "client_reference_id": str(payment.registration_id),
        "metadata": {"registration_id": str(payment.registration_id), "payment_id": str(payment.pk)},
    }


@pytest.fixture
def deliver(client):
    """POST a signed event to the webhook endpoint, the way Stripe delivers it."""
    from django.urls import reverse

    def post(payload: bytes, signature: str | None = None):
        headers = {"HTTP_STRIPE_SIGNATURE": signature if signature is not None else sign(payload)}
        return client.post(reverse("payments:stripe_webhook"), data=payload, content_type="application/json",
                           **headers)

    return post
