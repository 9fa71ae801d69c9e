"""Organizers edit their events from the front end (编辑活动): the event's fields and its ticket types as
real form rows. A change is a new revision in the moderation workflow, so the live event changes only
after bureau staff approve it; ticket types that people registered on cannot be deleted or repriced."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState

from marketplace.events.edit_forms import EventEditForm
from marketplace.events.models import EventPage, TicketType
from marketplace.events.services import editing, registrations
from marketplace.events.services.creation import ensure_event_index
from marketplace.events.services.editing import TicketRow
from tests.factories import make_user

from .builders import make_event, make_registrant, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(event_site, organizer):
    """A live event with a free ticket and a paid one, and an open workflow for edits."""
    ensure_event_index()
    return make_event(organizer=organizer, title="铝基新材料产学研对接会",
                      tickets=[("企业票", "0"), ("展位票", "800")])


def _approve(page, reviewer):
    task_state = page.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")


def _url(event):
    return reverse("events:edit_event", args=[event.pk])


def _form_data(event, tickets: list[dict], sessions=(), guests=(), **changes) -> dict:
    """What the edit page posts: its prefilled event fields with `changes`, and the rows given for each
    formset (dicts of the row's fields, and DELETE to tick a row's delete box)."""
    draft = event.get_latest_revision_as_object()
    form = EventEditForm(instance=draft)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, dt.datetime):
            value = value.strftime("%Y-%m-%dT%H:%M")
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    data.update(changes)
    for prefix, rows, existing in (("tickets", tickets, draft.ticket_types), ("sessions", sessions, draft.sessions),
                                   ("guests", guests, draft.guests)):
        shown = min(len(rows), len(existing.all()))  # the prefilled rows, as the page counts them
        data.update({f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(shown),
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
        for i, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = "on" if key == "DELETE" else value
    return data


def _errors(response) -> str:
    context = response.context or {}
    if "form" not in context:
        return ""
    return " ".join(f"{context[name].errors}" for name in ("form", "tickets", "sessions", "guests"))


def _rows(event) -> list[dict]:
    return [{"id": t.pk, "name": t.name, "price": str(t.price), "description": t.description}
            for t in event.ticket_types.all()]


def test_only_the_events_organizer_and_bureau_staff_open_the_edit_page(client, event, organizer, bureau_user):
    other_organizer = make_user("organizer")
    enterprise, _org = make_registrant()
    for person, expected in ((organizer, 200), (bureau_user, 200), (other_organizer, 403), (enterprise, 403)):
        client.force_login(person)
        assert client.get(_url(event)).status_code == expected, person.role
    client.force_login(organizer)
    assert client.get(reverse("events:edit_event", args=[event.pk + 1000])).status_code == 404
    with pytest.raises(PermissionDenied):
        editing.update_event(user=other_organizer, event=event, data={"title": "改名"},
                             tickets=[TicketRow(name="企业票", price=Decimal("0"))])


def test_the_manage_page_links_to_the_edit_page(client, event, organizer):
    client.force_login(organizer)
    html = client.get(reverse("events:manage_event", args=[event.pk])).content.decode()
    assert f'href="{_url(event)}"' in html and "编辑活动" in html


def test_without_javascript_the_page_has_every_ticket_row_plus_one_blank_row(client, event, organizer):
    client.force_login(organizer)
    response = client.get(_url(event))
    html = response.content.decode()
    # Two ticket types and one extra row; the add-row button waits hidden for formset.js.
    assert 'name="tickets-TOTAL_FORMS" value="3"' in html
    assert 'name="tickets-2-name"' in html and 'value="展位票"' in html
    assert "<template data-formset-template>" in html and 'name="tickets-__prefix__-name"' in html
    assert "js/formset.js" in html and "<script>" not in html


def test_an_edit_waits_for_moderation_and_then_changes_the_live_event(client, event, organizer, bureau_user):
    free, booth = event.ticket_types.all()
    client.force_login(organizer)
    response = client.post(_url(event), _form_data(event, [
        {"id": free.pk, "name": "企业票", "price": "0", "description": ""},
        {"id": booth.pk, "name": "展位票", "price": "1200", "description": "含标准展位"},
        {"name": "院所票", "price": "0", "description": "高校院所"},
    ], title="铝基新材料产学研对接会（第二场）"), follow=True)
    assert "已提交审核" in response.content.decode(), _errors(response)

    event.refresh_from_db()
    assert event.title == "铝基新材料产学研对接会"  # the live page waits for the bureau
    assert [(t.name, t.price) for t in event.ticket_types.all()] == [("企业票", 0), ("展位票", 800)]
    assert event.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    # The organizer sees the pending version when opening the page again.
    again = client.get(_url(event)).content.decode()
    assert "第二场" in again and 'value="院所票"' in again and "仍在审核中" in again

    _approve(event, bureau_user)
    event.refresh_from_db()
    assert event.title == "铝基新材料产学研对接会（第二场）"
    live = [(t.pk, t.name, t.price, t.description) for t in event.ticket_types.all()]
    new_pk = TicketType.objects.get(page=event, name="院所票").pk
    assert live == [(free.pk, "企业票", 0, ""), (booth.pk, "展位票", Decimal("1200.00"), "含标准展位"),
                    (new_pk, "院所票", 0, "高校院所")]
    assert "院所票" in client.get(event.url).content.decode()


def test_a_deleted_row_removes_the_ticket_type_once_approved(client, event, organizer, bureau_user):
    free, booth = event.ticket_types.all()
    client.force_login(organizer)
    response = client.post(_url(event), _form_data(event, [
        {"id": free.pk, "name": "企业票", "price": "0"},
        {"id": booth.pk, "name": "展位票", "price": "800", "DELETE": True},
        {"name": "", "price": "0", "description": ""},  # the untouched blank row
    ]))
    assert response.status_code == 302
    _approve(event, bureau_user)
    assert [t.name for t in EventPage.objects.get(pk=event.pk).ticket_types.all()] == ["企业票"]


def test_ticket_rows_are_validated_with_chinese_field_errors(client, event, organizer):
    free, booth = event.ticket_types.all()
    client.force_login(organizer)
    response = client.post(_url(event), _form_data(event, [
        {"id": free.pk, "name": "", "price": "0"},
        {"id": booth.pk, "name": "展位票", "price": "-5"},
    ]))
    assert response.status_code == 200
    rows = response.context["tickets"].forms
    # Django's own Chinese messages for a required field and a minimum value.
    assert set(rows[0].errors) == {"name"} and set(rows[1].errors) == {"price"}
    assert "0" in rows[1].errors["price"][0]

    every_row_deleted = client.post(_url(event), _form_data(event, [
        {"id": free.pk, "name": "企业票", "price": "0", "DELETE": True},
        {"id": booth.pk, "name": "展位票", "price": "800", "DELETE": True}]))
    assert "至少需要一个票种" in every_row_deleted.content.decode()

    other_event = make_event(organizer=organizer, tickets=[("别的活动的票", "0")])
    foreign = other_event.ticket_types.get()
    tampered = client.post(_url(event), _form_data(event, [{"id": foreign.pk, "name": "企业票", "price": "0"}]))
    assert "该票种不属于本活动" in tampered.content.decode()
    assert not event.workflow_in_progress, "nothing was submitted"


def test_event_rules_still_apply_on_edit(client, event, organizer):
    client.force_login(organizer)
    starts = event.starts_at.astimezone().strftime("%Y-%m-%dT%H:%M")
    response = client.post(_url(event), _form_data(event, _rows(event), ends_at=starts, venue="",
                                                    online_url=""))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["ends_at"] == ["结束时间须晚于开始时间。"]
    assert errors["venue"] == ["请填写地点或线上链接。"]


def test_ticket_types_with_registrations_are_neither_deleted_nor_repriced(client, event, organizer, bureau_user):
    free, booth = event.ticket_types.all()
    register(event, ticket=booth)
    client.force_login(organizer)

    repriced = client.post(_url(event), _form_data(event, [
        {"id": free.pk, "name": "企业票", "price": "0"}, {"id": booth.pk, "name": "展位票", "price": "600"}]))
    assert repriced.status_code == 200
    assert repriced.context["tickets"].forms[1].errors["price"] == [
        "“展位票”已有报名，不能修改价格（原价 ¥800.00）；可新增票种。"]

    deleted = client.post(_url(event), _form_data(event, [
        {"id": free.pk, "name": "企业票", "price": "0"},
        {"id": booth.pk, "name": "展位票", "price": "800", "DELETE": True}]))
    assert deleted.status_code == 200
    assert list(deleted.context["tickets"].non_form_errors()) == ["票种“展位票”已有报名，不能删除。"]
    assert not event.workflow_in_progress

    # The service holds the same rule for callers other than the form.
    with pytest.raises(ValidationError, match="不能删除"):
        editing.update_event(user=organizer, event=event, data={},
                             tickets=[TicketRow(id=free.pk, name="企业票", price=Decimal("0"))])

    # Renaming it, deleting the ticket nobody bought and adding a new price are all fine.
    accepted = client.post(_url(event), _form_data(event, [
        {"id": free.pk, "name": "企业票", "price": "0", "DELETE": True},
        {"id": booth.pk, "name": "展位票（早鸟）", "price": "800.00"},
        {"name": "展位票", "price": "1000"}]))
    assert accepted.status_code == 302
    _approve(event, bureau_user)
    assert [(t.name, t.price) for t in EventPage.objects.get(pk=event.pk).ticket_types.all()] == [
        ("展位票（早鸟）", 800), ("展位票", 1000)]


def test_a_cancelled_registration_does_not_protect_its_ticket_type(client, event, organizer):
    free, booth = event.ticket_types.all()
    registration = register(event, ticket=booth)
    registrations.cancel(user=registration.registered_by, registration=registration)
    client.force_login(organizer)
    response = client.post(_url(event), _form_data(event, [
        {"id": free.pk, "name": "企业票", "price": "0"}, {"id": booth.pk, "name": "展位票", "price": "600"}]))
    assert response.status_code == 302


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_agenda_and_invited_guests_are_rows_published_with_the_event(client, event, organizer, bureau_user):
    start = event.starts_at
    client.force_login(organizer)
    response = client.post(_url(event), _form_data(event, _rows(event), sessions=[
        {"starts_at": _local(start), "ends_at": _local(start + dt.timedelta(minutes=30)), "title": "开幕致辞",
         "speaker": "市科技局领导", "place": "主会场"},
        {"starts_at": _local(start + dt.timedelta(minutes=30)), "title": "成果路演", "speaker": "", "place": ""},
        {"starts_at": "", "title": ""},  # the untouched blank row
    ], guests=[{"name": "王院士", "affiliation": "中国科学院", "title": "院士"}]))
    assert response.status_code == 302, _errors(response)
    assert not EventPage.objects.get(pk=event.pk).sessions.exists(), "nothing public before approval"
    _approve(event, bureau_user)
    event = EventPage.objects.get(pk=event.pk)
    assert [(s.title, s.speaker) for s in event.sessions.all()] == [("开幕致辞", "市科技局领导"), ("成果路演", "")]
    assert [(g.name, g.affiliation) for g in event.guests.all()] == [("王院士", "中国科学院")]
    html = client.get(event.url).content.decode()
    assert 'id="agenda"' in html and "开幕致辞" in html and "王院士" in html

    # The page shows them again as rows, and deleting a row removes it.
    again = client.get(_url(event)).content.decode()
    assert 'name="sessions-1-title" value="成果路演"' in again
    client.post(_url(event), _form_data(event, _rows(event), sessions=[
        {"starts_at": _local(start), "title": "开幕致辞", "DELETE": True},
        {"starts_at": _local(start + dt.timedelta(minutes=30)), "title": "成果路演"}]))
    _approve(event, bureau_user)
    assert [s.title for s in EventPage.objects.get(pk=event.pk).sessions.all()] == ["成果路演"]


def test_agenda_items_must_lie_within_the_event(client, event, organizer):
    start = event.starts_at
    client.force_login(organizer)
    response = client.post(_url(event), _form_data(event, _rows(event), sessions=[
        {"starts_at": _local(start - dt.timedelta(hours=2)), "title": "签到"},
        {"starts_at": _local(start + dt.timedelta(hours=1)), "ends_at": _local(start), "title": "倒着的议程"},
    ]))
    assert response.status_code == 200
    rows = response.context["sessions"].forms
    assert rows[0].errors["starts_at"] == ["议程须在活动时间之内。"]
    assert rows[1].errors["ends_at"] == ["议程的结束时间须晚于开始时间。"]
    assert not event.workflow_in_progress
