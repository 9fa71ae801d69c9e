"""When money is wrong or Stripe is down. A paid webhook whose amount or currency is not what the registration
asked for confirms nothing: the money goes back at once, the ledger shows both moves and the organizer sees the
registration flagged. A Stripe failure behind any button is a Chinese message and a logged error, never a 500,
and the action it interrupted has not happened. Against the running stripe-mock."""

import logging
from decimal import Decimal

import pytest
from django.urls import reverse

from marketplace.events.services import checkout
from marketplace.events.states import RegistrationStatus as S
from marketplace.payments.models import LedgerEntry, PaymentStatus
from marketplace.payments.selectors import net_paid
from tests.events.builders import make_event, make_registrant, register

from .conftest import session_object, stripe_event

pytestmark = pytest.mark.django_db
STRIPE_DOWN = "http://127.0.0.1:9"  # nothing listens there


@pytest.fixture
def paid_event(event_site, organizer, stripe_settings):
    return make_event(organizer=organizer, price="380.50", capacity=3, refund_full_days_before=7)


def _checkout(registration):
    return checkout.start_checkout(user=registration.registered_by, registration=registration,
                                   success_url="http://127.0.0.1:8000/ok", cancel_url="http://127.0.0.1:8000/no")


@pytest.mark.parametrize(("amount_fen", "currency", "received"), [
    (38000, "cny", Decimal("380.00")),   # fifty fen short of 380.50
    (38050, "usd", Decimal("380.50")),   # the right number in the wrong currency
])
def test_a_payment_of_the_wrong_amount_or_currency_is_refunded_and_flagged(
        paid_event, deliver, client, organizer, amount_fen, currency, received):
    r = register(paid_event)
    payment = _checkout(r)
    session = session_object(payment, amount_total=amount_fen)
    session["currency"] = currency

    response = deliver(stripe_event("checkout.session.completed", session))

    assert response.status_code == 200 and "mismatch" in response.json()["outcome"]
    r.refresh_from_db()
    payment.refresh_from_db()
    assert r.status == S.PENDING_PAYMENT, "a wrong payment must not confirm the seat"
    assert payment.status == PaymentStatus.REFUNDED and "不符" in payment.flagged_reason
    rows = list(LedgerEntry.objects.filter(registration=r).values_list("kind", "amount", "currency"))
    assert rows == [(LedgerEntry.Kind.CHARGE, received, currency), (LedgerEntry.Kind.REFUND, received, currency)]
    assert net_paid(r) == 0
    assert r.log.filter(note__contains="不符").exists()
    # The organizer's registration list flags it.
    client.force_login(organizer)
    page = client.get(reverse("events:manage_event", args=[paid_event.pk])).content.decode()
    assert "支付金额不符，已退款" in page


def test_the_right_amount_is_not_flagged(paid_event, deliver):
    r = register(paid_event)
    payment = _checkout(r)
    deliver(stripe_event("checkout.session.completed", session_object(payment)))
    payment.refresh_from_db()
    r.refresh_from_db()
    assert r.status == S.CONFIRMED and payment.flagged_reason == ""


def _paid(paid_event, deliver, user, org):
    r = register(paid_event, user=user, org=org)
    deliver(stripe_event("checkout.session.completed", session_object(_checkout(r))))
    r.refresh_from_db()
    assert r.status == S.CONFIRMED
    return r


def test_stripe_down_during_the_registrants_cancellation_is_a_message_not_a_500(
        paid_event, deliver, client, settings, caplog):
    user, org = make_registrant()
    r = _paid(paid_event, deliver, user, org)
    settings.STRIPE_API_BASE = STRIPE_DOWN
    client.force_login(user)
    with caplog.at_level(logging.ERROR, logger="marketplace.payments.services"):
        response = client.post(reverse("events:cancel_registration", args=[r.pk]), follow=True)
    assert response.status_code == 200
    assert "支付服务暂时无法办理退款，本次操作未生效" in response.content.decode()
    assert any("Stripe refund failed" in rec.getMessage() for rec in caplog.records)
    r.refresh_from_db()
    assert r.status == S.CONFIRMED and net_paid(r) == Decimal("380.50")


def test_stripe_down_during_the_organizers_cancellation_is_a_message_not_a_500(
        paid_event, deliver, client, settings, organizer, caplog):
    user, org = make_registrant()
    r = _paid(paid_event, deliver, user, org)
    settings.STRIPE_API_BASE = STRIPE_DOWN
    client.force_login(organizer)
    with caplog.at_level(logging.ERROR, logger="marketplace.payments.services"):
        response = client.post(reverse("events:registration_action", args=[paid_event.pk, r.pk, "cancel"]),
                               {"reason": "场地调整"}, follow=True)
    assert response.status_code == 200
    assert "支付服务暂时无法办理退款" in response.content.decode()
    assert any("Stripe refund failed" in rec.getMessage() for rec in caplog.records)
    r.refresh_from_db()
    assert r.status == S.CONFIRMED and not r.log.filter(to_status=S.CANCELLED).exists()


def test_stripe_down_while_refunding_a_webhook_asks_stripe_to_retry(paid_event, deliver, settings):
    r = register(paid_event)
    payment = _checkout(r)
    session = session_object(payment, amount_total=100)  # wrong amount: must be refunded
    settings.STRIPE_API_BASE = STRIPE_DOWN
    response = deliver(stripe_event("checkout.session.completed", session))
    assert response.status_code == 503
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.OPEN and not LedgerEntry.objects.filter(registration=r).exists()

