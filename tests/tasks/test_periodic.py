"""Beat's unpaid-registration sweep: a checkout left open past its expiry (Stripe's webhook never came) gives
the seats back like the webhook would; a checkout still within its time is left alone."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.events.states import RegistrationStatus
from marketplace.payments.models import Payment, PaymentStatus
from marketplace.payments.webhooks import EXPIRY_GRACE, expire_unpaid_checkouts
from tests.events.builders import register
from tests.events.conftest import event_site, organizer  # noqa: F401 - shared fixtures
from tests.payments.conftest import stripe_mock_url, stripe_settings  # noqa: F401 - shared fixtures
from tests.payments.test_payments import _checkout, paid_event  # noqa: F401

pytestmark = pytest.mark.django_db


def test_checkouts_open_past_their_expiry_release_the_seats(paid_event):  # noqa: F811
    stale, fresh = register(paid_event), register(paid_event)
    stale_payment, fresh_payment = _checkout(stale), _checkout(fresh)
    now = timezone.now()
    Payment.objects.filter(pk=stale_payment.pk).update(expires_at=now - EXPIRY_GRACE - dt.timedelta(minutes=1))
    assert expire_unpaid_checkouts(now=now) == 1
    for obj in (stale, fresh, stale_payment, fresh_payment):
        obj.refresh_from_db()
    assert (stale_payment.status, stale.status) == (PaymentStatus.EXPIRED, RegistrationStatus.CANCELLED)
    assert (fresh_payment.status, fresh.status) == (PaymentStatus.OPEN, RegistrationStatus.PENDING_PAYMENT)
    assert expire_unpaid_checkouts(now=now) == 0, "a second sweep finds nothing more"
