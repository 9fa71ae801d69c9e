"""Offline payment (对公转账 / 现场缴费) when Stripe is not configured: the organizer records the money
through the real form, the held seat is confirmed, the payment sits in the ledger and the export, and a
refund of it is recorded without any call to Stripe. Pages then advertise no online methods."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from marketplace.events.services import registrations
from marketplace.events.states import RegistrationStatus as S
from marketplace.payments.models import LedgerEntry, Payment, PaymentMethod, PaymentStatus
from marketplace.payments.selectors import net_paid
from tests.events.builders import make_event, register

pytestmark = pytest.mark.django_db

INSTRUCTIONS = "收款单位：滨州市技术转移中心\n开户行：中国银行滨州分行\n账号：2345 6789 0123"


@pytest.fixture
def no_stripe(settings):
    # With no key every Stripe call raises PaymentsNotConfigured: nothing below may reach Stripe.
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""


@pytest.fixture
def held(event_site, organizer, no_stripe):
    event = make_event(organizer=organizer, price="380.50", capacity=3,
                       bank_transfer_instructions=INSTRUCTIONS)
    registration = register(event, people=2)  # 2 × 380.50 = 761.00 due
    assert registration.status == S.PENDING_PAYMENT
    return event, registration


def test_without_stripe_the_ticket_page_offers_bank_transfer_not_card_alipay_wechat(client, held):
    event, registration = held
    client.force_login(registration.registered_by)
    html = client.get(reverse("events:registration", args=[registration.pk])).content.decode()
    assert "支付宝" not in html and "微信支付" not in html and "银行卡" not in html
    assert "去支付" not in html, "no button that can only fail"
    assert "中国银行滨州分行" in html and "对公转账" in html


def test_an_offline_payment_confirms_the_held_seat_and_appears_in_ledger_and_export(client, held, organizer):
    event, registration = held
    url = reverse("events:offline_payment", args=[event.pk, registration.pk])
    client.force_login(organizer)
    manage = client.get(reverse("events:manage_event", args=[event.pk])).content.decode()
    assert url in manage, "the registrations table links to the form for a held seat"

    wrong_amount = client.post(url, {"method": "bank_transfer", "amount": "380.50", "reference": "B1"})
    assert wrong_amount.status_code == 400 and "761.00" in wrong_amount.content.decode()
    no_reference = client.post(url, {"method": "bank_transfer", "amount": "761.00", "reference": ""})
    assert no_reference.status_code == 400 and "银行流水号" in no_reference.content.decode()
    assert not Payment.objects.filter(registration=registration).exists(), "refused input records nothing"

    done = client.post(url, {"method": "bank_transfer", "amount": "761.00", "reference": "HX20261201-0042"})
    assert done.status_code == 302
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED
    payment = Payment.objects.get(registration=registration)
    assert (payment.method, payment.status, payment.amount, payment.reference, payment.recorded_by) == (
        PaymentMethod.BANK_TRANSFER, PaymentStatus.PAID, Decimal("761.00"), "HX20261201-0042", organizer)
    charge = LedgerEntry.objects.get(registration=registration)
    assert (charge.kind, charge.amount, charge.currency) == (LedgerEntry.Kind.CHARGE, Decimal("761.00"), "cny")

    again = client.post(url, {"method": "on_site", "amount": "761.00", "reference": ""})
    assert again.status_code == 200 and "无需付款" in again.content.decode(), "a paid seat is not paid twice"
    assert Payment.objects.filter(registration=registration).count() == 1

    text = client.get(reverse("events:export", args=[event.pk, "csv"])).content.decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    column = {name: i for i, name in enumerate(rows[0])}
    assert len(rows) == 1 + 2, "one row per participant"
    for row in rows[1:]:
        assert row[column["付款方式"]] == "对公转账"
        assert row[column["已付金额（元）"]] == "761.00"
        assert row[column["付款凭证号"]] == "HX20261201-0042"


def test_cancelling_an_offline_paid_registration_records_the_refund_without_stripe(held, organizer):
    event, registration = held
    from marketplace.events.offline_payments import record_offline_payment

    payment = record_offline_payment(user=organizer, registration=registration, method="on_site",
                                     amount=Decimal("761.00"))
    refunded = registrations.cancel(user=organizer, registration=registration, reason="活动改期")
    assert refunded == Decimal("761.00"), "the organizer's cancellation refunds everything"
    refund = LedgerEntry.objects.get(registration=registration, kind=LedgerEntry.Kind.REFUND)
    assert refund.amount == Decimal("761.00") and refund.stripe_object_id.startswith("offline-refund-")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert net_paid(registration) == Decimal("0")


def test_only_the_organizer_may_record_an_offline_payment(client, held):
    event, registration = held
    client.force_login(registration.registered_by)
    url = reverse("events:offline_payment", args=[event.pk, registration.pk])
    assert client.post(url, {"method": "on_site", "amount": "761.00"}).status_code == 403
    registration.refresh_from_db()
    assert registration.status == S.PENDING_PAYMENT
