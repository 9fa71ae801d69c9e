"""Organizers create events from the front end; bureau staff publish them through the same moderation
workflow as listings; the public sees live events only; organizers see their dashboard."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState

from marketplace.events.models import EventPage
from marketplace.events.services import creation
from marketplace.events.services.creation import TicketData
from marketplace.events.services.editing import SessionRow
from marketplace.events.states import RegistrationStatus as S

from .builders import event_rows, make_event, make_registrant, register

pytestmark = pytest.mark.django_db


def _event_data(**overrides):
    start = timezone.now() + dt.timedelta(days=30)
    data = {"title": "中科院专家滨州行·铝业专场", "event_type": "cas_visit", "summary": "院所专家进企业。",
            "starts_at": start, "ends_at": start + dt.timedelta(hours=8), "venue": "邹平市会展中心",
            "capacity": 80, "registration_opens_at": timezone.now(),
            "registration_closes_at": start - dt.timedelta(days=2), "slot_count": 6, "slot_minutes": 20,
            "table_count": 10, "first_slot_at": start + dt.timedelta(hours=1)}
    data.update(overrides)
    return data


def _approve(page, reviewer):
    state = page.current_workflow_state
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")


def test_organizer_creates_an_event_that_goes_live_after_moderation(event_site, organizer, bureau_user):
    page = creation.create_event(user=organizer, data=_event_data(),
                                 tickets=[TicketData("企业票", 0), TicketData("VIP", 980)])
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert [t.name for t in page.ticket_types.all()] == ["企业票", "VIP"]
    _approve(page, bureau_user)
    page.refresh_from_db()
    assert page.live
    assert page.ticket_types.get(name="VIP").price == 980


def test_invalid_events_are_refused_with_field_errors(event_site, organizer):
    start = timezone.now() + dt.timedelta(days=10)
    with pytest.raises(ValidationError) as error:
        creation.create_event(user=organizer, data=_event_data(
            starts_at=start, ends_at=start - dt.timedelta(hours=1), venue="", online_url="",
            first_slot_at=start - dt.timedelta(days=1)), tickets=[TicketData("票", 0)])
    fields = error.value.message_dict
    assert {"ends_at", "venue", "first_slot_at"} <= set(fields)
    assert not EventPage.objects.exists()


def test_the_agenda_given_at_creation_must_lie_within_the_event(event_site, organizer):
    """The service checks it again (the form's row errors are tested in test_create_event_form)."""
    data = _event_data()
    late = SessionRow(starts_at=data["ends_at"] + dt.timedelta(minutes=30), title="晚宴")
    with pytest.raises(ValidationError) as error:
        creation.create_event(user=organizer, data=data, tickets=[TicketData("票", 0)], sessions=[late])
    assert error.value.messages == ["晚宴：议程须在活动时间之内。"]
    assert not EventPage.objects.exists()


def test_only_organizers_create_events(event_site, enterprise_user, client):
    with pytest.raises(PermissionDenied):
        creation.create_event(user=enterprise_user, data=_event_data(), tickets=[TicketData("票", 0)])
    client.force_login(enterprise_user)
    assert client.get(reverse("events:create_event")).status_code == 403
    assert client.get(reverse("events:manage")).status_code == 403


def test_create_event_form(client, event_site, organizer):
    client.force_login(organizer)
    start = timezone.localtime() + dt.timedelta(days=30)
    fmt = "%Y-%m-%dT%H:%M"
    form = {"title": "院士专家论坛", "event_type": "academician_forum", "summary": "", "venue": "滨州大剧院",
            "online_url": "", "county": "", "capacity": 200, "when_full": "waitlist",
            "refund_full_days_before": 7,
            "starts_at": start.strftime(fmt), "ends_at": (start + dt.timedelta(hours=3)).strftime(fmt),
            "registration_opens_at": timezone.localtime().strftime(fmt),
            "registration_closes_at": (start - dt.timedelta(days=1)).strftime(fmt),
            "slot_count": 0, "slot_minutes": 20, "table_count": 0, "first_slot_at": "",
            "max_meetings_per_participant": ""}
    tickets = [{"name": "普通票", "price": "0"}, {"name": "赞助商", "price": "5000.50", "description": "含展位"}]
    at = start + dt.timedelta(minutes=30)
    sessions = [{"starts_at": at.strftime(fmt), "title": "主旨报告", "speaker": "李院士"}]
    guests = [{"name": "李院士", "affiliation": "中国工程院"}]
    url = reverse("events:create_event")
    page_html = client.get(url).content.decode()
    # One prefilled free ticket row; the agenda and guests start with one blank row each.
    assert 'name="tickets-0-name"' in page_html and 'name="sessions-0-title"' in page_html
    bad = client.post(url, {**form, **event_rows([{"name": "普通票", "price": "免费"}])})
    assert bad.status_code == 200 and set(bad.context["tickets"].forms[0].errors) == {"price"}
    none_left = client.post(url, {**form, **event_rows([{"name": "普通票", "price": "0", "DELETE": True}])})
    assert "至少需要一个票种（免费票的价格填0）。" in none_left.context["tickets"].non_form_errors()
    late = [{"starts_at": (start + dt.timedelta(hours=5)).strftime(fmt), "title": "晚宴"}]
    too_late = client.post(url, {**form, **event_rows(tickets, late)})
    assert too_late.context["sessions"].forms[0].errors["starts_at"] == ["议程须在活动时间之内。"]
    assert not EventPage.objects.filter(title="院士专家论坛").exists()
    assert client.post(url, {**form, **event_rows(tickets, sessions, guests)}).status_code == 302
    page = EventPage.objects.get(title="院士专家论坛").get_latest_revision_as_object()
    assert [(t.name, str(t.price), t.description) for t in page.ticket_types.all()] == [
        ("普通票", "0.00", ""), ("赞助商", "5000.50", "含展位")]
    assert [(s.title, s.speaker) for s in page.sessions.all()] == [("主旨报告", "李院士")]
    assert [(g.name, g.affiliation) for g in page.guests.all()] == [("李院士", "中国工程院")]
    dashboard = client.get(reverse("events:manage")).content.decode()
    assert "院士专家论坛" in dashboard and "审核中" in dashboard


def test_public_sees_live_events_and_organizer_manages_registrations(client, event_site, organizer):
    live = make_event(organizer=organizer, title="科技助农惠民活动·无棣站", event_type="service")
    make_event(organizer=organizer, title="未发布的活动", publish=False)
    index_html = client.get(live.get_parent().url).content.decode()
    assert "科技助农惠民活动·无棣站" in index_html and "未发布的活动" not in index_html
    r = register(live, people=2)
    client.force_login(organizer)
    manage = client.get(reverse("events:manage_event", args=[live.pk])).content.decode()
    assert r.organization.name in manage and "已占名额 2 / 10" in manage
    client.post(reverse("events:registration_action", args=[live.pk, r.pk, "cancel"]), {"reason": "重复报名"})
    r.refresh_from_db()
    assert r.status == S.CANCELLED
    other_organizer, _org = make_registrant()
    client.force_login(other_organizer)
    assert client.get(reverse("events:manage_event", args=[live.pk])).status_code == 403


def test_event_page_has_a_place_for_agreements_signed_there(client, event_site, organizer):
    # Filled from Agreement.event (related_name="agreements") once the lead adds that foreign key.
    event = make_event(organizer=organizer)
    html = client.get(event.url).content.decode()
    assert 'id="agreements"' in html and "暂无签约记录" in html
