"""Events feed the targets: high-end events and service activities held, universities engaged by
registering, and agreements signed at an event shown on its page and counted on the dashboard."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from marketplace.agreements import metrics, services
from marketplace.agreements.services import Parties
from tests.agreements.builders import advance, agreement, verified_org
from tests.deals.builders import terms
from tests.events.builders import make_event, make_registrant, register
from tests.factories import make_org, make_user

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.now().year - 1


def _held_last_year(month: int, **overrides):
    starts = timezone.make_aware(dt.datetime(LAST_YEAR, month, 15, 9, 0))
    return make_event(starts_at=starts, registration_opens_at=starts - dt.timedelta(days=30),
                      registration_closes_at=starts - dt.timedelta(days=1),
                      first_slot_at=starts + dt.timedelta(hours=1), **overrides)


def test_high_end_events_count_forums_and_cas_visits_held_in_the_year(site):
    _held_last_year(3, event_type="academician_forum")
    _held_last_year(6, event_type="cas_visit")
    _held_last_year(7, event_type="matchmaking")  # not high-end
    _held_last_year(8, event_type="cas_visit", publish=False)  # never published: not held
    make_event(event_type="academician_forum")  # this year, still ahead
    assert metrics.compute("high_end_events", LAST_YEAR).value == 2
    assert metrics.compute("high_end_events", LAST_YEAR).available


def test_service_activities_count_service_events_held(site):
    _held_last_year(4, event_type="service")
    _held_last_year(5, event_type="service")
    _held_last_year(5, event_type="roadshow")
    assert metrics.compute("service_activities", LAST_YEAR).value == 2


def test_a_university_registered_at_an_event_counts_as_engaged(site):
    now = timezone.now()
    event = make_event(starts_at=now + dt.timedelta(hours=3),
                       registration_closes_at=now + dt.timedelta(hours=2),
                       first_slot_at=now + dt.timedelta(hours=4))
    this_year = timezone.localtime(event.starts_at).year
    user, uni = make_registrant("university", name="滨州医学院")
    register(event, user=user, org=uni)
    _e_user, enterprise = make_registrant("enterprise")
    register(event, user=_e_user, org=enterprise)
    # The same university also signs an agreement: still one engaged university.
    agreement(signed_on=timezone.localdate(), enterprise=enterprise, academic=uni)
    assert metrics.compute("universities_engaged", this_year).value == 1


def test_an_agreement_signed_at_an_event_shows_on_the_event_page_and_counts_once_verified(site, client):
    organizer = make_user("organizer")
    event = make_event(organizer=organizer)
    enterprise, uni = verified_org("enterprise"), verified_org("university", name="山东大学")
    before = metrics.compute("agreements_signed", timezone.localdate().year).value
    signed = services.enter_agreement(
        user=organizer,
        terms=terms(title="铝合金电池托盘联合开发协议", signed_on=timezone.localdate(), event=event,
                    amount=Decimal("300000")),
        parties=Parties(enterprises=[enterprise], academics=[uni]),
    )
    assert signed.event == event
    assert metrics.compute("agreements_signed", timezone.localdate().year).value == before
    assert "铝合金电池托盘联合开发协议" not in client.get(event.url).content.decode()  # public: verified only
    advance(signed, "verified")
    assert metrics.compute("agreements_signed", timezone.localdate().year).value == before + 1
    page = client.get(event.url).content.decode()
    assert "铝合金电池托盘联合开发协议" in page


def test_only_the_events_organizer_or_staff_attribute_agreements_to_it(site):
    owner, other = make_user("organizer"), make_user("organizer")
    event = make_event(organizer=owner)
    with pytest.raises(PermissionDenied):
        services.enter_agreement(
            user=other, terms=terms(signed_on=timezone.localdate(), event=event),
            parties=Parties(enterprises=[make_org("enterprise")], academics=[make_org("university")]))


def test_the_entry_form_preselects_the_event_and_refuses_someone_elses(site, client):
    from django.urls import reverse

    from marketplace.agreements.models import Agreement
    from tests.factories import county, field

    owner, other = make_user("organizer"), make_user("organizer")
    event = make_event(organizer=owner)
    client.force_login(other)
    form_page = client.get(reverse("agreements:new"), {"event": event.pk})
    assert form_page.context["form"].initial["event"] == str(event.pk)
    data = {
        "title": "现场签约：海水淡化膜组件合作开发", "agreement_type": "development", "amount": "0",
        "signed_on": timezone.localdate().isoformat(), "county": county("wudi").pk, "field": field("marine").pk,
        "enterprises": [make_org("enterprise").pk], "academics": [make_org("institute").pk], "event": event.pk,
    }
    refused = client.post(reverse("agreements:new"), data)
    assert refused.status_code == 400
    assert "只能为本人组织的活动登记签约" in refused.content.decode()
    assert not Agreement.objects.exists()

    client.force_login(owner)
    assert client.post(reverse("agreements:new"), data).status_code == 302
    assert Agreement.objects.get().event == event
