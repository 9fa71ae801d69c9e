"""An enterprise registers for a free matchmaking event in a real browser, the organizer generates and
publishes the 1:1 schedule, the enterprise sees its agenda with the reasons, and the organizer checks
its participant in at the desk."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.events.models import Participant, Registration
from marketplace.events.services.creation import ensure_event_index
from marketplace.events.states import RegistrationStatus as S
from tests.events.builders import make_event, register
from tests.factories import make_org, make_user

from .conftest import log_in

PASSWORD = "Str0ng-pass!"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_register_see_agenda_and_get_checked_in(live_server, new_page, site):
    base = live_server.url
    ensure_event_index()
    organizer = make_user("organizer", email="organizer@example.com", password=PASSWORD)
    buyer = make_user("enterprise", email="buyer@example.com", password=PASSWORD, display_name="张伟")
    make_org("enterprise", name="滨州轻量化汽车部件有限公司", members=[buyer])
    _seller_user, seller_org = make_user("university"), None
    seller_org = make_org("university", name="滨州学院", members=[_seller_user])
    start = timezone.now() + dt.timedelta(days=14)
    event = make_event(organizer=organizer, title="铝基新材料产学研对接会", starts_at=start,
                       first_slot_at=start + dt.timedelta(hours=1), slot_count=3, table_count=2)
    register(event, user=_seller_user, org=seller_org, offers="铝合金 轻量化 一体化压铸")

    enterprise = new_page()
    log_in(enterprise, base, buyer.email, PASSWORD)
    enterprise.goto(f"{base}{event.url}")
    enterprise.click(f'a[href="/events/{event.pk}/register/"]')
    # The first participant row is the buyer, filled in; the blank row below takes a colleague.
    assert enterprise.input_value("input[name=participants-0-name]") == "张伟"
    enterprise.fill("input[name=participants-0-title]", "总工程师")
    enterprise.fill("input[name=participants-0-phone]", "13800000001")
    enterprise.fill("input[name=participants-1-name]", "李娜")
    enterprise.fill("input[name=participants-1-title]", "采购经理")
    count = enterprise.locator("[data-formset-count-for=participants] [data-formset-count]")
    expect(count).to_have_text("2")
    # A third colleague on a row added with the button, then taken off again with the row's delete button.
    enterprise.click("button:has-text('添加参会人')")
    enterprise.fill("input[name=participants-2-name]", "王强")
    expect(count).to_have_text("3")
    enterprise.locator("[data-formset-row]", has=enterprise.locator("input[name=participants-2-name]")).locator(
        "button:has-text('删除此参会人')").click()
    expect(count).to_have_text("2")
    enterprise.click("button:has-text('添加参会人')")
    enterprise.fill("input[name=participants-3-name]", "刘洋")
    enterprise.fill("input[name=participants-3-phone]", "0543-3161234")
    expect(count).to_have_text("3")
    enterprise.fill("textarea[name=seeks]", "铝合金 轻量化 电池托盘")
    enterprise.click("main form button:has-text('提交报名')")
    enterprise.wait_for_selector("#tickets")
    registration = Registration.objects.get(event=event, organization__name="滨州轻量化汽车部件有限公司")
    assert registration.status == S.CONFIRMED
    codes = enterprise.locator(".checkin-code").all_inner_texts()
    assert sorted(codes) == sorted(p.checkin_code for p in registration.participants.all())
    assert [(p.name, p.title, p.phone) for p in registration.participants.all()] == [
        ("张伟", "总工程师", "13800000001"), ("李娜", "采购经理", ""), ("刘洋", "", "0543-3161234")]
    assert "日程尚未发布" in enterprise.inner_text("#agenda")

    desk = new_page()
    log_in(desk, base, organizer.email, PASSWORD)
    desk.goto(f"{base}/events/manage/{event.pk}/schedule/")
    desk.click("form[action$='/schedule/generate/'] button")
    desk.wait_for_selector("[data-meeting]")
    desk.click("form[action$='/schedule/publish/'] button")
    desk.wait_for_selector("text=已发布")

    enterprise.reload()
    agenda = enterprise.inner_text("#agenda")
    assert "滨州学院" in agenda and "共同关键词" in agenda

    zhang = registration.participants.get(name="张伟")
    desk.goto(f"{base}/events/manage/{event.pk}/checkin/")
    desk.fill("input[name=code]", zhang.checkin_code.lower())
    desk.click("main form button:has-text('签到')")
    desk.wait_for_selector("#checkin-result")
    assert "签到成功" in desk.inner_text("#checkin-result") and "张伟" in desk.inner_text("#checkin-result")
    assert Participant.objects.get(pk=zhang.pk).checked_in_at is not None
    desk.goto(f"{base}/events/manage/{event.pk}/attendance/")
    assert f'data-participant="{zhang.pk}"' in desk.content()
    assert "已签到 1 / 4" in desk.inner_text("main")

    enterprise.reload()
    assert "已签到" in enterprise.inner_text(f'[data-participant="{zhang.pk}"]')
