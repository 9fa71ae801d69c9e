"""An organizer who takes bank transfer (no Stripe needed) confirms a held seat in a real browser: the
对公转账 with its reference and amount confirms the registration, shows in the registration's ledger and
in the exported participant list. Days before the event the check-in desk refuses the new ticket with
a message that says when check-in opens."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from marketplace.events.models import Registration
from marketplace.events.states import RegistrationStatus as S
from tests.events.builders import make_event, make_registrant, register
from tests.factories import make_user

from .conftest import log_in

PASSWORD = "Str0ng-pass!"
REFERENCE = "BZ20261202-0042"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bank_transfer_confirms_a_held_seat_and_early_check_in_is_refused(live_server, new_page, site):
    base = live_server.url
    organizer = make_user("organizer", email="organizer@example.com", password=PASSWORD)
    # Starts in 5 days with the default 2-hour check-in window: the desk must refuse today.
    event = make_event(organizer=organizer, title="技术经纪人培训班", price="380",
                       starts_at=timezone.now() + dt.timedelta(days=5), checkin_opens_hours_before=2)
    user, org = make_registrant("enterprise", name="滨州轻量化汽车部件有限公司")
    held = register(event, user=user, org=org, people=2)
    assert held.status == S.PENDING_PAYMENT  # 2 × ¥380 owed

    desk = new_page()
    log_in(desk, base, organizer.email, PASSWORD)
    desk.goto(f"{base}/events/manage/{event.pk}/")
    desk.click(f'[data-registration="{held.pk}"] a:has-text("登记线下付款")')
    desk.wait_for_selector("#offline-payment-form")
    assert desk.input_value("input[name=amount]") in {"760", "760.00"}
    desk.select_option("select[name=method]", label="对公转账")
    desk.fill("input[name=reference]", REFERENCE)
    desk.click("#offline-payment-form button[type=submit]")
    desk.wait_for_url(f"{base}/events/manage/{event.pk}/")
    assert "已登记线下付款" in desk.inner_text(".messages")
    assert Registration.objects.get(pk=held.pk).status == S.CONFIRMED
    assert "已确认" in desk.inner_text(f'[data-registration="{held.pk}"]')

    # The registration's ledger: the payment by bank transfer, its reference and the charge row.
    desk.goto(f"{base}/events/registrations/{held.pk}/")
    ledger = desk.inner_text("#payments")
    assert "对公转账" in ledger and REFERENCE in ledger and "¥760.00" in ledger

    # The exported participant list carries method, amount kept and reference on each person's row.
    desk.goto(f"{base}/events/manage/{event.pk}/")
    with desk.expect_download() as download:
        desk.click('a:has-text("导出 CSV")')
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    header, people = rows[0], rows[1:]
    paid = [dict(zip(header, row, strict=True)) for row in people]
    assert len(paid) == 2
    assert {(r["付款方式"], r["已付金额（元）"], r["付款凭证号"]) for r in paid} == {("对公转账", "760.00", REFERENCE)}

    # Five days early the desk refuses the confirmed ticket and says when check-in opens.
    code = held.participants.first().checkin_code
    desk.goto(f"{base}/events/manage/{event.pk}/checkin/")
    desk.fill("input[name=code]", code)
    desk.click("main form button:has-text('签到')")
    desk.wait_for_selector("text=签到尚未开放")
    opens = timezone.localtime(event.starts_at - dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    assert opens in desk.inner_text("main form")
    assert desk.locator("#checkin-result").count() == 0
    assert not held.participants.filter(checked_in_at__isnull=False).exists()
    assert Registration.objects.get(pk=held.pk).status == S.CONFIRMED
