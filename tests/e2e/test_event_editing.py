"""An organizer edits a live event in a real browser: renames it, reprices a ticket type, adds one with the
add-row button, deletes one with its delete button and adds an agenda item (static/js/formset.js, under
the site's CSP). The change goes to moderation; once bureau staff approve it, the public event page shows
the new tickets and the agenda."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.events.models import EventPage
from marketplace.events.services.creation import ensure_event_index
from tests.events.builders import make_event
from tests.factories import make_user

from .conftest import log_in

PASSWORD = "Str0ng-pass!"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_organizer_edits_event_and_tickets_through_moderation(live_server, new_page, site):
    base = live_server.url
    ensure_event_index()
    organizer = make_user("organizer", email="organizer@example.com", password=PASSWORD)
    bureau = make_user("bureau")
    event = make_event(organizer=organizer, title="铝基新材料产学研对接会",
                       starts_at=timezone.now() + dt.timedelta(days=14),
                       tickets=[("企业票", "0"), ("展位票", "800")])

    page = new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    log_in(page, base, organizer.email, PASSWORD)
    page.goto(f"{base}/events/manage/{event.pk}/")
    page.click("[data-testid=edit-event]")
    page.wait_for_selector("h1:has-text('编辑活动')")
    assert page.input_value("input[name=title]") == "铝基新材料产学研对接会"

    page.fill("input[name=title]", "铝基新材料产学研对接会（秋季）")
    page.fill("input[name='tickets-0-price']", "50")
    # Two ticket types and the blank row: the button adds a fourth row, numbered 3.
    page.click("#tickets [data-formset-add]")
    page.fill("input[name='tickets-3-name']", "院所票")
    page.fill("input[name='tickets-3-price']", "200")
    page.fill("input[name='tickets-3-description']", "高校院所专用")
    assert page.input_value("input[name='tickets-TOTAL_FORMS']") == "4"
    booth = page.locator("#tickets [data-formset-row]").nth(1)
    booth.locator("[data-formset-remove]").click()
    assert not booth.is_visible()
    # The agenda has only its blank row; the same script adds a second one.
    page.click("#sessions [data-formset-add]")
    opening = timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M")
    page.fill("input[name='sessions-1-starts_at']", opening)
    page.fill("input[name='sessions-1-title']", "开幕致辞")
    page.click("main form button[type=submit]:has-text('提交审核')")
    page.wait_for_selector("text=已提交审核")

    event.refresh_from_db()
    assert event.title == "铝基新材料产学研对接会", "the live event waits for the bureau"
    task_state = event.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, bureau, "approve")

    public = new_page()
    public.goto(f"{base}{EventPage.objects.get(pk=event.pk).url}")
    assert public.inner_text("h1") == "铝基新材料产学研对接会（秋季）"
    tickets = public.inner_text(".ticket-list")
    assert "院所票" in tickets and "¥200.00" in tickets and "高校院所专用" in tickets
    assert "企业票" in tickets and "¥50.00" in tickets
    assert "展位票" not in tickets
    assert "开幕致辞" in public.inner_text("#agenda")
    assert [text for text in console if "Content Security Policy" in text] == []
