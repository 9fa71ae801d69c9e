"""The inquiry journey through its real forms: the box on every listing page, sending (once, however
often the form is posted), the e-mail to the listing's organization, read receipts, and 发起商机."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from marketplace.inquiries.models import Inquiry, Message
from marketplace.listings.models import DemandPage, PilotBasePage
from tests.challenges.builders import published_challenge
from tests.cms.builders import publish_listing
from tests.factories import demand_data, pilot_base_data

from .builders import conversation, send, world

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _token(html: str) -> str:
    return re.search(r'name="form_token" value="([0-9a-f]+)"', html).group(1)


def _box_state(html: str) -> str:
    return re.search(r'data-testid="inquiry-box" data-state="(\w+)"', html).group(1)


def test_every_listing_type_offers_the_inquiry_box_by_who_is_looking(site):
    w = world()
    other = w.outsider.memberships.get().organization
    pages = [
        w.listing,
        publish_listing(DemandPage, demand_data(other)),
        publish_listing(PilotBasePage, pilot_base_data(w.university)),
        published_challenge(w.outsider, other),
    ]
    for page in pages:
        assert _box_state(_as(w.asker).get(page.url).content.decode()) == "can", page
        assert _box_state(Client().get(page.url).content.decode()) == "anonymous", page
    assert _box_state(_as(w.owner).get(w.listing.url).content.decode()) == "owner"
    assert _box_state(_as(w.agent).get(w.listing.url).content.decode()) == "unverified"


def test_an_inquiry_sent_twice_from_the_page_arrives_once_and_mails_the_owner_once(
        site, django_capture_on_commit_callbacks):
    w = world()
    asker = _as(w.asker)
    token = _token(asker.get(w.listing.url).content.decode())
    data = {"sender_org": w.enterprise.pk, "need": "电池托盘减重方案", "message": "希望了解许可方式。",
            "form_token": token}
    url = reverse("inquiries:send", args=[w.listing.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = asker.post(url, data)
        again = asker.post(url, data)  # double click, or Back and submit again
    inquiry = Inquiry.objects.get()
    assert first["Location"] == reverse("inquiries:detail", args=[inquiry.pk])
    assert again.status_code == 302 and again["Location"] == reverse("inquiries:inbox")
    assert (inquiry.sender_org, inquiry.recipient_org, inquiry.need) == (w.enterprise, w.university, "电池托盘减重方案")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [w.owner.email]
    assert "电池托盘减重方案" in mail.outbox[0].body
    inbox = _as(w.owner).get(reverse("inquiries:inbox")).content.decode()
    assert f'data-inquiry="{inquiry.pk}" data-direction="received"' in inbox


def test_missing_fields_are_told_in_chinese_and_nothing_is_sent(site):
    w = world()
    response = _as(w.asker).post(reverse("inquiries:send", args=[w.listing.pk]),
                                 {"sender_org": w.enterprise.pk, "need": "", "message": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请说明您需要什么。" in html and "请填写留言。" in html
    assert not Inquiry.objects.exists()


def test_declining_without_a_reason_is_refused_on_the_form(site):
    w = world()
    inquiry = send(w)
    response = _as(w.owner).post(reverse("inquiries:decline", args=[inquiry.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "请填写婉拒原因。" in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == "sent"


def test_a_message_posted_twice_is_saved_once(site):
    w = world()
    convo = conversation(w)
    page = _as(w.asker)
    token = _token(page.get(reverse("inquiries:conversation", args=[convo.pk])).content.decode())
    url = reverse("inquiries:post_message", args=[convo.pk])
    first = page.post(url, {"body": "下周能否来厂里看一下产线？", "form_token": token})
    again = page.post(url, {"body": "下周能否来厂里看一下产线？", "form_token": token})
    assert first.status_code == 302 and again.status_code == 302
    assert Message.objects.filter(conversation=convo).count() == 1


def test_read_receipts_follow_each_participant(site):
    w = world()
    convo = conversation(w)
    url = reverse("inquiries:conversation", args=[convo.pk])
    _as(w.asker).post(reverse("inquiries:post_message", args=[convo.pk]), {"body": "样件已寄出。"})
    message = Message.objects.get()
    owner = _as(w.owner)
    assert 'data-unread="1"' in owner.get(reverse("inquiries:inbox")).content.decode()
    # Before the owner opens it, the author's page shows it read by nobody else.
    thread = _as(w.asker).get(url).context["thread"]
    assert [t.read_by for t in thread] == [[]]
    owner.get(url)
    assert "data-unread" not in owner.get(reverse("inquiries:inbox")).content.decode()
    thread = _as(w.asker).get(url).context["thread"]
    assert thread[0].message == message and thread[0].read_by == [w.owner]


def test_start_deal_opens_the_deals_form_with_both_sides_prefilled(site):
    w = world()
    convo = conversation(w)
    response = _as(w.agent).get(reverse("inquiries:start_deal", args=[convo.pk]), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("deals:new"))
    form = response.context["form"]
    assert form["enterprise"].value() == str(w.enterprise.pk)
    assert form["academic"].value() == str(w.university.pk)
    assert form["achievement"].value() == str(w.listing.pk)
    assert form["title"].value() == w.listing.title
