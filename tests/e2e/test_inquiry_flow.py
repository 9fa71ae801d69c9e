"""An enterprise asks a university about a result in a real browser; the university accepts, they talk
with an agent invited, and the agent's 发起商机 opens the deal form with both sides filled in. Then the
enterprise books a trial run at the university's pilot base, the university confirms it, and the base's
public calendar marks the days."""

import pytest

from marketplace.bookings.models import Booking
from marketplace.inquiries.models import Conversation, Inquiry, Message
from marketplace.listings.models import PilotBasePage
from tests.bookings.builders import soon
from tests.cms.builders import publish_listing
from tests.factories import pilot_base_data
from tests.inquiries.builders import PASSWORD, world

from .conftest import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_inquiry_accept_message_and_deal_form_prefilled(live_server, new_page, site):
    base = live_server.url
    w = world()

    asker = new_page()
    log_in(asker, base, w.asker.email, PASSWORD)
    asker.goto(f"{base}{w.listing.url}")
    box = asker.locator('[data-testid="inquiry-box"]')
    box.locator("input[name=need]").fill("电池托盘减重20%的结构设计")
    box.locator("textarea[name=message]").fill("我司年产电池托盘10万套，希望了解许可方式。")
    box.locator("button[name=send]").click()
    asker.wait_for_selector('[data-testid="inquiry-status"] [data-status="sent"]')
    inquiry = Inquiry.objects.get()

    owner = new_page()
    log_in(owner, base, w.owner.email, PASSWORD)
    owner.goto(f"{base}/my/inquiries/")
    owner.click(f'tr[data-inquiry="{inquiry.pk}"] a')
    owner.click("button[name=accept]")
    owner.wait_for_selector('[data-testid="conversation-status"][data-status="open"]')
    conversation = Conversation.objects.get(inquiry=inquiry)
    owner.select_option("select[name=agent]", str(w.agent.pk))
    owner.click("button[name=invite]")
    owner.wait_for_selector('[data-testid="conversation-agent"]')
    owner.fill("textarea[name=body]", "欢迎来校面谈，样件可提供。")
    owner.click('[data-testid="message-form"] button[name=send]')
    owner.wait_for_selector('[data-testid="thread"] [data-message]')
    assert Message.objects.filter(conversation=conversation).count() == 1

    # The enterprise sees the message and, by opening the page, marks it read.
    asker.goto(f"{base}/my/inquiries/conversations/{conversation.pk}/")
    assert "欢迎来校面谈" in asker.inner_text('[data-testid="thread"]')

    broker = new_page()
    log_in(broker, base, w.agent.email, PASSWORD)
    broker.goto(f"{base}/my/inquiries/conversations/{conversation.pk}/")
    broker.click('[data-testid="start-deal"]')
    broker.wait_for_url(lambda url: "/deals/new/" in url)
    assert broker.input_value("select[name=enterprise]") == str(w.enterprise.pk)
    assert broker.input_value("select[name=academic]") == str(w.university.pk)
    assert broker.input_value("select[name=achievement]") == str(w.listing.pk)
    assert broker.input_value("input[name=title]") == w.listing.title

    # 中试预约: the enterprise books the university's extrusion press; the university confirms.
    pilot = publish_listing(PilotBasePage, pilot_base_data(w.university, title="滨州学院铝合金中试基地"))
    asker.goto(f"{base}{pilot.url}")
    asker.click('[data-testid="book-pilot"]')
    asker.select_option("select[name=equipment]", label="500吨挤压机")
    asker.fill("input[name=start_date]", soon(10).isoformat())
    asker.fill("input[name=end_date]", soon(11).isoformat())
    asker.fill("input[name=material]", "6061铝合金棒材")
    asker.fill("input[name=quantity]", "2吨")
    asker.click("button[name=request]")
    asker.wait_for_selector('[data-testid="booking-status"][data-status="requested"]')
    booking = Booking.objects.get()

    owner.goto(f"{base}/my/bookings/")
    owner.click(f'a[href="/my/bookings/{booking.pk}/"]')
    owner.click("button[name=confirm]")
    owner.wait_for_selector('[data-testid="booking-status"][data-status="confirmed"]')

    visitor = new_page()
    visitor.goto(f"{base}{pilot.url}?month={soon(10):%Y-%m}")
    calendar = visitor.locator('[data-testid="booking-calendar"]')
    assert calendar.locator(f'[data-booked="{soon(10).isoformat()}"]').count() == 1
    assert w.enterprise.name not in calendar.inner_text()
