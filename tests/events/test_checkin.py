"""Check-in by QR code (a signed URL only the organizer can act on) or by typing the short code; the
attendance list; exports of the participant list."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from marketplace.events import checkin
from marketplace.events.services import checkins
from marketplace.events.states import RegistrationStatus as S

from .builders import make_event, make_registrant, register

pytestmark = pytest.mark.django_db


def test_qr_code_leads_the_organizer_to_a_one_click_check_in(client, event_site, organizer):
    event = make_event(organizer=organizer)
    user, org = make_registrant()
    r = register(event, user=user, org=org, people=2)
    first, second = r.participants.all()
    client.force_login(user)
    ticket = client.get(reverse("events:registration", args=[r.pk])).content.decode()
    assert ticket.count("data:image/svg+xml;base64,") == 2
    url = checkin.checkin_url(first)
    path = url.split("127.0.0.1:8000", 1)[1] if "127.0.0.1:8000" in url else url
    assert path.startswith("/events/checkin/")
    # The participant's own session cannot check anyone in by opening the link.
    assert client.get(path).status_code == 403
    client.force_login(organizer)
    page = client.get(path)
    assert page.status_code == 200 and first.name in page.content.decode()
    first.refresh_from_db()
    assert first.checked_in_at is None, "opening the link alone does not check in"
    done = client.post(path)
    assert "签到成功" in done.content.decode()
    first.refresh_from_db()
    r.refresh_from_db()
    assert first.checked_in_at is not None and r.status == S.CHECKED_IN
    again = client.post(path)
    assert "已签到" in again.content.decode()
    # The second person of the same registration checks in separately.
    checkins.check_in_by_code(user=organizer, event=event, code=second.checkin_code.lower())
    second.refresh_from_db()
    assert second.checked_in_at is not None


def test_forged_or_garbled_tokens_are_refused(client, event_site, organizer):
    event = make_event(organizer=organizer)
    r = register(event)
    client.force_login(organizer)
    token = checkin.make_token(r.participants.first())
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for bad in (forged, "not-a-token"):
        response = client.get(reverse("events:checkin_token", args=[bad]))
        assert response.status_code == 400 and "二维码无效" in response.content.decode()


def test_typing_the_code_at_the_desk(client, event_site, organizer):
    event = make_event(organizer=organizer)
    r = register(event)
    person = r.participants.first()
    client.force_login(organizer)
    desk = reverse("events:checkin_desk", args=[event.pk])
    ok = client.post(desk, {"code": f" {person.checkin_code[:4]}-{person.checkin_code[4:]} "})
    assert ok.status_code == 200 and "签到成功" in ok.content.decode()
    unknown = client.post(desk, {"code": "ZZZZZZZZ"})
    assert unknown.status_code == 400 and "签到码无效" in unknown.content.decode()
    # A code from another event does not work here.
    other = register(make_event(organizer=organizer))
    wrong_event = client.post(desk, {"code": other.participants.first().checkin_code})
    assert wrong_event.status_code == 400


def test_unconfirmed_registrations_cannot_check_in(client, event_site, organizer):
    event = make_event(organizer=organizer, price="100")
    r = register(event)
    assert r.status == S.PENDING_PAYMENT
    client.force_login(organizer)
    response = client.post(reverse("events:checkin_desk", args=[event.pk]),
                           {"code": r.participants.first().checkin_code})
    assert response.status_code == 400 and "不能签到" in response.content.decode()


def test_only_the_organizer_runs_the_desk(client, event_site, organizer):
    event = make_event(organizer=organizer)
    r = register(event)
    client.force_login(r.registered_by)
    assert client.post(reverse("events:checkin_desk", args=[event.pk]),
                       {"code": r.participants.first().checkin_code}).status_code == 403


def test_attendance_list_shows_who_is_in(client, event_site, organizer):
    event = make_event(organizer=organizer)
    a, b = register(event), register(event)
    checkins.check_in(user=organizer, participant=a.participants.first())
    client.force_login(organizer)
    html = client.get(reverse("events:attendance", args=[event.pk])).content.decode()
    assert "已签到 1 / 2" in html
    rows = re.findall(r'data-participant="(\d+)"', html)
    assert rows[0] == str(a.participants.first().pk), "checked-in people come first"
    assert str(b.participants.first().pk) in rows


def test_exports_list_every_participant_in_csv_and_xlsx(client, event_site, organizer):
    event = make_event(organizer=organizer)
    user, org = make_registrant(name="=HYPERLINK(\"http://evil\")公司")
    register(event, user=user, org=org, people=2)
    register(event)
    client.force_login(organizer)
    response = client.get(reverse("events:export", args=[event.pk, "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][0].startswith("参会单位") and len(rows) == 1 + 3
    assert rows[1][0].startswith("'="), "formula-like cells are neutralised"
    xlsx = client.get(reverse("events:export", args=[event.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.values)
    assert len(values) == 4 and values[0][3].startswith("姓名")
    assert {values[i][3] for i in (1, 2, 3)} >= {"参会人1", "参会人2"}
    assert client.get(reverse("events:export", args=[event.pk, "pdf"])).status_code == 404
    client.force_login(user)
    assert client.get(reverse("events:export", args=[event.pk, "csv"])).status_code == 403


def test_check_in_opens_two_hours_before_the_start_and_closes_at_the_end(client, event_site, organizer):
    """Check-in 18 days ahead was possible; now the desk refuses it with the opening time, by default
    2 hours before the start, and again once the event has ended."""
    import datetime as dt

    from django.utils import timezone

    from marketplace.events.models import EventPage

    start = timezone.now() + dt.timedelta(days=18)
    event = make_event(organizer=organizer, starts_at=start, checkin_opens_hours_before=2)
    assert EventPage.objects.get(pk=event.pk).checkin_opens_hours_before == 2
    person, latecomer = register(event, people=2).participants.all()
    desk = reverse("events:checkin_desk", args=[event.pk])
    client.force_login(organizer)

    early = client.post(desk, {"code": person.checkin_code})
    opens = timezone.localtime(start - dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    assert early.status_code == 400
    assert "签到尚未开放" in early.content.decode() and opens in early.content.decode()
    person.refresh_from_db()
    assert person.checked_in_at is None

    # 1 h 59 min before the start: inside the 2-hour window.
    now = timezone.now()
    EventPage.objects.filter(pk=event.pk).update(starts_at=now + dt.timedelta(minutes=119),
                                                 ends_at=now + dt.timedelta(hours=6))
    assert client.post(desk, {"code": person.checkin_code}).status_code == 200
    person.refresh_from_db()
    assert person.checked_in_at is not None

    EventPage.objects.filter(pk=event.pk).update(starts_at=now - dt.timedelta(hours=8),
                                                 ends_at=now - dt.timedelta(hours=2))
    late = client.post(desk, {"code": latecomer.checkin_code})
    assert late.status_code == 400 and "签到已关闭" in late.content.decode()
    latecomer.refresh_from_db()
    assert latecomer.checked_in_at is None
