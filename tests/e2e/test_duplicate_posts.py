"""Duplicate posts in a real browser: a double click on Save and Back-then-submit-again save one record
and show the saved record with a message, never an error page. With JavaScript on, submit-once.js
stops the second click from posting at all; with JavaScript off the page shown by Back is really posted
again and the server's one-time token is what keeps it to one record. (Chromium itself sends one post
for a double click; posts that really overlap are tested on PostgreSQL in each app's
test_duplicate_posts.py.)"""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.events.models import EventPage, Registration
from marketplace.events.services.creation import ensure_event_index
from marketplace.listings.models import DemandPage
from tests.events.builders import make_event
from tests.factories import county, field, make_org, make_user

from .conftest import log_in

PASSWORD = "Str0ng-pass!"
FMT = "%Y-%m-%dT%H:%M"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _count_posts(page, path: str) -> list:
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST"
            and request.url.split("?")[0].endswith(path) else None)
    return posts


def _fill_demand(page) -> None:
    page.fill("input[name=title]", "滨州化工园区有毒气体泄漏在线监测")
    page.select_option("select[name=field]", str(field("smart-chemicals").pk))
    page.select_option("select[name=county]", str(county("zhanhua").pk))
    page.fill("textarea[name=description]", "园区需要多点在线监测与预警。")
    page.fill("input[name=budget_min]", "200000")
    page.fill("input[name=budget_max]", "500000")
    page.fill("input[name=deadline]", (timezone.localdate() + dt.timedelta(days=60)).isoformat())
    page.check("input[name=cooperation_modes][value=co_development]")


def test_a_demand_double_clicked_then_submitted_again_after_back_is_saved_once(live_server, new_page, site):
    base = live_server.url
    owner = make_user("enterprise", email="owner@example.com", password=PASSWORD)
    make_org("enterprise", name="滨州化工集团有限公司", members=[owner])
    page = new_page()
    log_in(page, base, owner.email, PASSWORD)
    page.goto(f"{base}/my/listings/new/demand/")
    posts = _count_posts(page, "/my/listings/new/demand/")
    _fill_demand(page)
    page.dblclick("main form button[type=submit]")
    page.wait_for_url("**/preview/")
    demand = DemandPage.objects.get()
    assert page.url.endswith(f"/my/listings/{demand.pk}/preview/")
    assert len(posts) == 1, "with JavaScript on, the second click of a double click does not post"

    page.go_back()
    page.wait_for_selector("input[name=title]")
    if not page.input_value("input[name=title]"):  # the page was fetched again, not restored
        _fill_demand(page)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/preview/")
    assert page.url.endswith(f"/my/listings/{demand.pk}/preview/")
    assert "未重复保存" in page.inner_text("body")
    assert DemandPage.objects.count() == 1 and len(posts) == 2


def test_an_event_and_a_registration_posted_twice_without_javascript_are_saved_once(
        live_server, browser, site):
    base = live_server.url
    ensure_event_index()
    organizer = make_user("organizer", email="organizer@example.com", password=PASSWORD)
    buyer = make_user("enterprise", email="buyer@example.com", password=PASSWORD, display_name="张伟")
    make_org("enterprise", name="滨州轻量化汽车部件有限公司", members=[buyer])
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", java_script_enabled=False)
    context.set_default_timeout(20_000)
    try:
        # The organizer double-clicks Save on a new event: two posts reach the server, one event.
        desk = context.new_page()
        log_in(desk, base, organizer.email, PASSWORD)
        desk.goto(f"{base}/events/manage/new/")
        event_posts = _count_posts(desk, "/events/manage/new/")
        start = timezone.localtime() + dt.timedelta(days=30)
        desk.fill("input[name=title]", "黄河三角洲盐碱地农业技术对接会")
        desk.fill("input[name=venue]", "滨州市科技馆")
        desk.fill("input[name=capacity]", "80")
        desk.fill("input[name=starts_at]", start.strftime(FMT))
        desk.fill("input[name=ends_at]", (start + dt.timedelta(hours=4)).strftime(FMT))
        desk.fill("input[name=registration_opens_at]", timezone.localtime().strftime(FMT))
        desk.fill("input[name=registration_closes_at]", (start - dt.timedelta(days=1)).strftime(FMT))
        desk.dblclick("main form button[type=submit]")
        desk.wait_for_url("**/events/manage/")
        assert EventPage.objects.filter(title="黄河三角洲盐碱地农业技术对接会").count() == 1
        first_posts = len(event_posts)
        desk.go_back()
        desk.wait_for_selector("input[name=title]")
        if not desk.input_value("input[name=title]"):
            pytest.fail("Back should show the filled-in form again")
        desk.click("main form button[type=submit]")
        desk.wait_for_url("**/events/manage/")
        assert len(event_posts) == first_posts + 1, "the page shown by Back was posted again"
        assert EventPage.objects.filter(title="黄河三角洲盐碱地农业技术对接会").count() == 1
        assert "未重复保存" in desk.inner_text("body")
        context.clear_cookies()

        # A company registers, goes Back and submits the same page again: one registration, and the
        # second submit shows it.
        event = make_event(organizer=organizer, title="铝基新材料产学研对接会")
        buyer_page = context.new_page()
        log_in(buyer_page, base, buyer.email, PASSWORD)
        buyer_page.goto(f"{base}/events/{event.pk}/register/")
        register_posts = _count_posts(buyer_page, f"/events/{event.pk}/register/")
        buyer_page.dblclick("main form button[type=submit]")
        buyer_page.wait_for_url("**/events/registrations/*/")
        first_posts = len(register_posts)
        registration = Registration.objects.get(event=event)
        assert buyer_page.url.endswith(f"/events/registrations/{registration.pk}/")
        buyer_page.go_back()
        buyer_page.wait_for_load_state()
        if buyer_page.locator("main form input[name=participants-0-name]").count():
            # The form came back from the browser's cache: submit it again.
            buyer_page.click("main form button[type=submit]")
            buyer_page.wait_for_url(f"**/events/registrations/{registration.pk}/")
            assert len(register_posts) == first_posts + 1, "the page shown by Back was posted again"
            assert "未重复保存" in buyer_page.inner_text("body")
        else:
            # Fetched again: the server already sends the company to its registration.
            assert buyer_page.url.endswith(f"/events/registrations/{registration.pk}/")
            assert "已报名此活动" in buyer_page.inner_text("body")
        assert Registration.objects.filter(event=event).count() == 1
    finally:
        context.close()
