"""Beat's reminders: event participants the day before, demand owners N days before the deadline; each one
e-mail with a text and an HTML part, links absolute on SITE_BASE_URL, exactly once however often beat runs."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from marketplace.events.reminders import send_event_reminders
from marketplace.events.states import RegistrationStatus as S
from marketplace.listings.models import DemandPage
from marketplace.listings.reminders import send_deadline_reminders
from tests.events.builders import make_event, register
from tests.events.conftest import event_site, organizer  # noqa: F401 - shared fixtures
from tests.factories import make_org, make_user
from tests.search.helpers import publish

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
BASE = "http://127.0.0.1:8011"


@pytest.fixture(autouse=True)
def served_on_8011(settings):
    settings.SITE_BASE_URL = BASE
    settings.WAGTAILADMIN_BASE_URL = BASE


def _html(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def test_confirmed_registrants_get_one_reminder_the_day_before(event_site, organizer,  # noqa: F811
                                                                django_capture_on_commit_callbacks):
    starts = dt.datetime(2027, 3, 10, 9, 0, tzinfo=SHANGHAI)
    event = make_event(organizer=organizer, starts_at=starts, capacity=1,
                       registration_opens_at=timezone.now() - dt.timedelta(days=1),
                       registration_closes_at=timezone.now() + dt.timedelta(days=30))
    confirmed, waiting = register(event), register(event)
    assert (confirmed.status, waiting.status) == (S.CONFIRMED, S.WAITLISTED)
    mail.outbox.clear()

    two_days_before = dt.datetime(2027, 3, 8, 10, 0, tzinfo=SHANGHAI)
    late_evening_before = dt.datetime(2027, 3, 9, 23, 30, tzinfo=SHANGHAI)  # 15:30 UTC: still the 9th in Binzhou
    with django_capture_on_commit_callbacks(execute=True):
        assert send_event_reminders(now=two_days_before) == 0
        assert send_event_reminders(now=late_evening_before) == 1
        assert send_event_reminders(now=late_evening_before) == 0, "exactly once, however often beat runs"
    [reminder] = mail.outbox
    assert reminder.to == [confirmed.contact_email], "only the confirmed registration, not the waiting one"
    assert reminder.subject == f"明天参会提醒：{event.title}"
    ticket = BASE + reverse("events:registration", args=[confirmed.pk])
    assert "2027-03-10 09:00" in reminder.body
    assert ticket in reminder.body and f'href="{ticket}"' in _html(reminder)


def test_a_demand_owner_is_reminded_once_three_days_before_the_deadline(site, settings,
                                                                         django_capture_on_commit_callbacks):
    settings.DEMAND_DEADLINE_REMINDER_DAYS = 3
    owner = make_user("enterprise")
    org = make_org("enterprise", members=[owner])
    demand = publish(owner, org, DemandPage, deadline=dt.date(2027, 5, 20))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders(now=dt.datetime(2027, 5, 16, 9, tzinfo=SHANGHAI)) == 0, "four days before"
        assert send_deadline_reminders(now=dt.datetime(2027, 5, 17, 9, tzinfo=SHANGHAI)) == 1
        assert send_deadline_reminders(now=dt.datetime(2027, 5, 18, 9, tzinfo=SHANGHAI)) == 0, "exactly once"
    [reminder] = mail.outbox
    assert reminder.to == [owner.email]
    assert reminder.subject == f"需求即将截止：{demand.title}（剩余3天）"
    assert "2027-05-20" in reminder.body
    assert f"{BASE}/my/listings/" in reminder.body, "links to the owner's own listings, not the admin"
    assert f'href="{BASE}' in _html(reminder) and "admin" not in reminder.body

    moved = DemandPage.objects.get(pk=demand.pk)
    DemandPage.objects.filter(pk=moved.pk).update(deadline=dt.date(2027, 6, 30))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders(now=dt.datetime(2027, 6, 27, 9, tzinfo=SHANGHAI)) == 1, \
            "a later deadline earns a reminder of its own"
