"""No duplicates from the event forms: an event or a registration posted twice (double click, Back and
submit again, two posts at the same moment) is saved once, and the repeat lands on it; never a 500."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from marketplace.events.models import EventPage, Registration
from marketplace.events.states import RegistrationStatus as S
from tests.conftest import require_service
from tests.races import post_at_once, redirects

from .builders import event_rows, make_event, make_registrant, participant_rows

FMT = "%Y-%m-%dT%H:%M"


def event_post(**overrides) -> dict:
    start = timezone.localtime() + dt.timedelta(days=30)
    data = {"title": "黄河三角洲盐碱地农业技术对接会", "event_type": "matchmaking", "summary": "",
            "venue": "滨州市科技馆",
            "online_url": "", "county": "", "capacity": 80, "when_full": "waitlist", "refund_full_days_before": 7,
            "starts_at": start.strftime(FMT), "ends_at": (start + dt.timedelta(hours=4)).strftime(FMT),
            "registration_opens_at": timezone.localtime().strftime(FMT),
            "registration_closes_at": (start - dt.timedelta(days=1)).strftime(FMT),
            "slot_count": 0, "slot_minutes": 20, "table_count": 0, "first_slot_at": "",
            "max_meetings_per_participant": "", "form_token": uuid.uuid4().hex,
            **event_rows([{"name": "普通票", "price": "0"}])}
    data.update(overrides)
    return data


def registration_post(event, org, **overrides) -> dict:
    data = {"organization": org.pk, "ticket": event.ticket_types.first().pk,
            **participant_rows([{"name": "张工", "title": "总工程师"}]),
            "contact_email": "zhang@example.com", "offers": "", "seeks": "盐碱地改良", "form_token": uuid.uuid4().hex}
    data.update(overrides)
    return data


# --------------------------------------------------------------------------------------------------
# One after the other

@pytest.mark.django_db
def test_an_event_submitted_again_from_a_page_fetched_after_back_is_not_created_twice(client, event_site, organizer):
    client.force_login(organizer)
    data = event_post()
    assert client.post(reverse("events:create_event"), data).status_code == 302
    refetched = {**data, "form_token": uuid.uuid4().hex}  # same content, the new page's token
    again = client.post(reverse("events:create_event"), refetched, follow=True)
    assert EventPage.objects.filter(title=data["title"]).count() == 1
    assert again.redirect_chain == [(reverse("events:manage"), 302)]
    assert "您刚刚已提交过内容相同的表单" in again.content.decode()


@pytest.mark.django_db
def test_a_registration_submitted_again_lands_on_the_registration(client, event_site, organizer):
    event = make_event(organizer=organizer)
    user, org = make_registrant()
    client.force_login(user)
    url = reverse("events:register", args=[event.pk])
    data = registration_post(event, org)
    first = client.post(url, data)
    again = client.post(url, data, follow=True)
    registration = Registration.objects.get(event=event)
    assert first["Location"] == reverse("events:registration", args=[registration.pk])
    assert again.redirect_chain == [(first["Location"], 302)]


@pytest.mark.django_db
def test_after_cancelling_the_same_details_register_again(client, event_site, organizer):
    # Posting the same content again is only a duplicate for forms that create something new each
    # time; re-registering after a cancellation is legitimate.
    event = make_event(organizer=organizer)
    user, org = make_registrant()
    client.force_login(user)
    url = reverse("events:register", args=[event.pk])
    data = registration_post(event, org)
    client.post(url, data)
    first = Registration.objects.get(event=event)
    client.post(reverse("events:cancel_registration", args=[first.pk]), {"reason": "时间冲突"})
    again = client.post(url, {**data, "form_token": uuid.uuid4().hex})
    second = Registration.objects.exclude(pk=first.pk).get(event=event)
    assert again["Location"] == reverse("events:registration", args=[second.pk])
    assert second.status == S.CONFIRMED


# --------------------------------------------------------------------------------------------------
# At the same moment, on PostgreSQL

@pytest.fixture
def _postgres(db):
    require_service("PostgreSQL", connection.vendor == "postgresql",
                    "concurrent posts need PostgreSQL; run with DATABASE_URL (services/run_tests.sh)")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_event_posted_three_times_at_once_is_created_once(_postgres, event_site, organizer):
    data = event_post()
    answers = post_at_once(organizer, reverse("events:create_event"), [data] * 3)
    assert redirects(answers) == {reverse("events:manage")}
    assert EventPage.objects.filter(title=data["title"]).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_registration_posted_three_times_at_once_is_saved_once(_postgres, event_site, organizer):
    event = make_event(organizer=organizer)
    user, org = make_registrant()
    data = registration_post(event, org)
    answers = post_at_once(user, reverse("events:register", args=[event.pk]), [data] * 3)
    registration = Registration.objects.get(event=event)
    assert redirects(answers) == {reverse("events:registration", args=[registration.pk])}
    assert registration.participants.count() == 1
