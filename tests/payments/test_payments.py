"""Paid tickets end to end against the running stripe-mock: Checkout Session creation, signed webhooks
(paid, repeated, out of order, expired, forged, stale), automatic refunds and refunds by the event's rule.
Nothing is marked paid from the browser's return to the site."""

import datetime as dt
import json
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from marketplace.events.models import Registration, RegistrationLog
from marketplace.events.services import checkout, registrations
from marketplace.events.states import RegistrationStatus as S
from marketplace.payments import services
from marketplace.payments.models import LedgerEntry, Payment, PaymentStatus, ProcessedStripeEvent
from marketplace.payments.selectors import net_paid
from tests.events.builders import make_event, make_registrant, register

from .conftest import session_object, sign, stripe_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_event(event_site, organizer, stripe_settings):
    return make_event(organizer=organizer, price="380.50", capacity=3, refund_full_days_before=7)


def _checkout(registration) -> Payment:
    return checkout.start_checkout(user=registration.registered_by, registration=registration,
                                   success_url="http://127.0.0.1:8000/ok", cancel_url="http://127.0.0.1:8000/no")


def _paid_registration(paid_event, deliver, people=2) -> tuple[Registration, Payment]:
    r = register(paid_event, people=people)
    payment = _checkout(r)
    response = deliver(stripe_event("checkout.session.completed", session_object(payment)))
    assert response.status_code == 200, response.content
    r.refresh_from_db()
    payment.refresh_from_db()
    return r, payment


# --- amounts --------------------------------------------------------------------------------------

def test_amounts_go_to_stripe_in_whole_fen():
    assert services.to_fen(Decimal("380.50")) == 38050
    assert services.to_fen(Decimal("0.01")) == 1
    assert services.from_fen(38050) == Decimal("380.50")
    with pytest.raises(ValueError):
        services.to_fen(Decimal("1.005"))


# --- checkout -------------------------------------------------------------------------------------

def test_checkout_session_is_created_on_stripe(paid_event):
    r = register(paid_event, people=2)
    payment = _checkout(r)
    assert payment.stripe_session_id.startswith("cs_")  # the id stripe-mock returned
    assert payment.checkout_url.startswith("https://")
    assert payment.amount == Decimal("761.00") and payment.currency == "cny"
    assert payment.status == PaymentStatus.OPEN
    # A second click reuses the open session instead of charging twice.
    assert _checkout(r).pk == payment.pk
    assert Payment.objects.filter(registration=r).count() == 1


def test_checkout_view_redirects_to_stripe_and_the_return_trip_marks_nothing_paid(client, paid_event):
    user, org = make_registrant()
    r = register(paid_event, user=user, org=org)
    client.force_login(user)
    response = client.post(reverse("events:checkout", args=[r.pk]))
    assert response.status_code == 303
    assert response["Location"] == Payment.objects.get(registration=r).checkout_url
    back = client.get(reverse("events:registration", args=[r.pk]) + "?checkout=success")
    assert "支付结果确认中" in back.content.decode()
    r.refresh_from_db()
    assert r.status == S.PENDING_PAYMENT and net_paid(r) == 0


def test_no_checkout_for_a_registration_that_is_not_waiting_for_payment(paid_event, organizer):
    free = make_event(organizer=organizer)
    r = register(free)
    with pytest.raises(ValidationError):
        _checkout(r)
    assert not Payment.objects.exists()


def test_stripe_failure_creates_no_payment(paid_event, settings, client):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    user, org = make_registrant()
    r = register(paid_event, user=user, org=org)
    client.force_login(user)
    response = client.post(reverse("events:checkout", args=[r.pk]), follow=True)
    assert "支付服务暂时不可用" in response.content.decode()
    assert not Payment.objects.exists()


# --- webhooks -------------------------------------------------------------------------------------

def test_signed_webhook_marks_the_registration_paid_and_writes_the_ledger(paid_event, deliver, mailoutbox,
                                                                        django_capture_on_commit_callbacks):
    r = register(paid_event, people=2)
    payment = _checkout(r)
    session = session_object(payment, payment_intent="pi_paid_once")
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(stripe_event("checkout.session.completed", session))
    assert response.status_code == 200 and "confirmed" in response.json()["outcome"]
    r.refresh_from_db()
    payment.refresh_from_db()
    assert r.status == S.CONFIRMED and payment.status == PaymentStatus.PAID
    entry = LedgerEntry.objects.get(registration=r)
    assert (entry.kind, entry.amount, entry.currency, entry.stripe_object_id) == (
        LedgerEntry.Kind.CHARGE, Decimal("761.00"), "cny", "pi_paid_once")
    assert any("报名成功" in m.subject for m in mailoutbox)


def test_the_same_event_delivered_three_times_changes_state_once(paid_event, deliver):
    r = register(paid_event)
    payment = _checkout(r)
    payload = stripe_event("checkout.session.completed", session_object(payment), event_id="evt_same_thrice")
    outcomes = [deliver(payload).json()["outcome"] for _ in range(3)]
    assert outcomes[1:] == ["duplicate event, already processed"] * 2
    assert LedgerEntry.objects.filter(registration=r).count() == 1
    assert ProcessedStripeEvent.objects.filter(event_id="evt_same_thrice").count() == 1
    assert RegistrationLog.objects.filter(registration=r, to_status=S.CONFIRMED).count() == 1


def test_out_of_order_events_change_state_once(paid_event, deliver):
    # Asynchronous methods: Stripe sends completed (unpaid) then async_payment_succeeded; here the
    # success arrives first, then the stale "completed, unpaid", then a stray expiry.
    r = register(paid_event)
    payment = _checkout(r)
    intent = "pi_async_1"
    succeeded = deliver(stripe_event("checkout.session.async_payment_succeeded",
                                     session_object(payment, payment_intent=intent)))
    assert "confirmed" in succeeded.json()["outcome"]
    stale = deliver(stripe_event("checkout.session.completed",
                                 session_object(payment, payment_status="unpaid", payment_intent=intent)))
    assert stale.status_code == 200
    expired = deliver(stripe_event("checkout.session.expired",
                                   session_object(payment, payment_status="unpaid", status="expired")))
    assert "ignored" in expired.json()["outcome"]
    completed_again = deliver(stripe_event("checkout.session.completed", session_object(payment,
                                                                                      payment_intent=intent)))
    assert completed_again.json()["outcome"] == "payment already recorded"
    r.refresh_from_db()
    payment.refresh_from_db()
    assert r.status == S.CONFIRMED and payment.status == PaymentStatus.PAID
    assert LedgerEntry.objects.filter(registration=r).count() == 1 and net_paid(r) == Decimal("380.50")


def test_expired_checkout_releases_the_seats_to_the_waiting_list(event_site, organizer, stripe_settings,
                                                                 deliver):
    event = make_event(organizer=organizer, price="100", capacity=1)
    r = register(event)
    waiting = register(event)
    payment = _checkout(r)
    response = deliver(stripe_event("checkout.session.expired",
                                    session_object(payment, payment_status="unpaid", status="expired")))
    assert response.json()["outcome"] == "checkout expired unpaid"
    r.refresh_from_db()
    waiting.refresh_from_db()
    assert r.status == S.CANCELLED and waiting.status == S.PENDING_PAYMENT


def test_payment_for_a_cancelled_registration_is_refunded_automatically(paid_event, deliver):
    r = register(paid_event)
    payment = _checkout(r)
    registrations.cancel(user=r.registered_by, registration=r)  # cancelled while the customer was paying
    response = deliver(stripe_event("checkout.session.completed", session_object(payment)))
    assert response.status_code == 200 and "refunded automatically" in response.json()["outcome"]
    r.refresh_from_db()
    payment.refresh_from_db()
    assert r.status == S.CANCELLED and payment.status == PaymentStatus.REFUNDED
    kinds = list(LedgerEntry.objects.filter(registration=r).values_list("kind", "amount"))
    assert kinds == [(LedgerEntry.Kind.CHARGE, Decimal("380.50")),
                     (LedgerEntry.Kind.REFUND, Decimal("380.50"))]
    refund = LedgerEntry.objects.get(registration=r, kind=LedgerEntry.Kind.REFUND)
    assert refund.stripe_object_id.startswith("re_")  # the Refund stripe-mock created
    assert net_paid(r) == 0
    assert r.log.filter(note__contains="refunded").exists()


def test_a_second_payment_for_an_already_paid_registration_is_refunded(paid_event, deliver):
    r, first = _paid_registration(paid_event, deliver, people=1)
    second = Payment.objects.create(registration=r, amount=first.amount,
                                    stripe_session_id="cs_test_second_tab",
                                    expires_at=timezone.now() + dt.timedelta(hours=1))
    response = deliver(stripe_event("checkout.session.completed", session_object(second)))
    assert "refunded automatically" in response.json()["outcome"]
    assert net_paid(r) == first.amount


@pytest.mark.parametrize("case", ["wrong secret", "stale", "no header", "tampered body"])
def test_forged_or_stale_webhooks_get_400_and_change_nothing(case, paid_event, deliver):
    r = register(paid_event)
    payment = _checkout(r)
    payload = stripe_event("checkout.session.completed", session_object(payment))
    signature = {
        "wrong secret": sign(payload, secret="whsec_attacker"),
        "stale": sign(payload, timestamp=int(time.time()) - 3600),
        "no header": "",
        "tampered body": sign(payload),
    }[case]
    if case == "tampered body":
        obj = json.loads(payload)
        obj["data"]["object"]["amount_total"] = 1
        payload = json.dumps(obj).encode()
    response = deliver(payload, signature)
    assert response.status_code == 400 and response.json()["error"]
    r.refresh_from_db()
    assert r.status == S.PENDING_PAYMENT
    assert not LedgerEntry.objects.exists() and not ProcessedStripeEvent.objects.exists()


def test_webhook_secret_must_be_configured(paid_event, deliver, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    payload = stripe_event("checkout.session.completed", {"id": "cs_x"})
    assert deliver(payload).status_code == 503


def test_unknown_sessions_and_other_event_types_are_acknowledged_and_ignored(paid_event, deliver):
    unknown = deliver(stripe_event("checkout.session.completed",
                                   {"id": "cs_not_ours", "payment_status": "paid", "amount_total": 100}))
    assert unknown.status_code == 200 and "ignored" in unknown.json()["outcome"]
    other = deliver(stripe_event("customer.created", {"id": "cus_1", "object": "customer"}))
    assert other.status_code == 200 and other.json()["outcome"] == "ignored customer.created"


# --- refunds on cancellation ----------------------------------------------------------------------

def test_cancelling_early_refunds_in_full(paid_event, deliver):
    r, payment = _paid_registration(paid_event, deliver)
    refunded = registrations.cancel(user=r.registered_by, registration=r,
                                     now=paid_event.starts_at - dt.timedelta(days=8))
    assert refunded == Decimal("761.00")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED and net_paid(r) == 0
    refund = LedgerEntry.objects.get(registration=r, kind=LedgerEntry.Kind.REFUND)
    assert refund.amount == Decimal("761.00") and refund.stripe_object_id.startswith("re_")


def test_cancelling_late_refunds_nothing(paid_event, deliver):
    r, payment = _paid_registration(paid_event, deliver)
    refunded = registrations.cancel(user=r.registered_by, registration=r,
                                     now=paid_event.starts_at - dt.timedelta(days=6))
    assert refunded == 0
    r.refresh_from_db()
    assert r.status == S.CANCELLED and net_paid(r) == Decimal("761.00")
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REFUND).exists()


def test_organizer_cancellation_always_refunds(paid_event, deliver, organizer):
    r, _payment = _paid_registration(paid_event, deliver)
    refunded = registrations.cancel(user=organizer, registration=r, reason="活动调整",
                                     now=paid_event.starts_at - dt.timedelta(hours=1))
    assert refunded == Decimal("761.00") and net_paid(r) == 0


def test_a_failed_refund_rolls_the_cancellation_back(paid_event, deliver, settings):
    r, payment = _paid_registration(paid_event, deliver)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # Stripe unreachable
    with pytest.raises(services.PaymentServiceError):
        registrations.cancel(user=r.registered_by, registration=r,
                              now=paid_event.starts_at - dt.timedelta(days=10))
    r.refresh_from_db()
    payment.refresh_from_db()
    assert (r.status, payment.status, net_paid(r)) == (S.CONFIRMED, PaymentStatus.PAID, Decimal("761.00"))
