"""Reporting a message opens the conversation to bureau staff, read-only, every reading logged; a suspended
account cannot sign in, its open session ends and it cannot post; lifting the suspension restores it, and
both moves are kept."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from marketplace.inquiries import services
from marketplace.inquiries.models import ConversationAccess, Message, MessageReport, Suspension

from .builders import PASSWORD, conversation, world

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_report_lets_bureau_staff_read_the_conversation_and_each_read_is_logged(site):
    w = world()
    convo = conversation(w)
    rude = services.post_message(user=w.owner, conversation=convo, body="不买就别浪费时间")
    url = reverse("inquiries:conversation", args=[convo.pk])
    bureau = _as(w.bureau)
    assert bureau.get(url).status_code == 404, "no report yet: the content is the participants' only"

    report_url = reverse("inquiries:report", args=[convo.pk, rude.pk])
    own = _as(w.owner).post(report_url, {"reason": "自己举报自己"}, follow=True)
    assert "不能举报自己发送的消息。" in own.content.decode()
    assert _as(w.outsider).post(report_url, {"reason": "骚扰"}).status_code == 404
    empty = _as(w.asker).post(report_url, {"reason": ""}, follow=True)
    assert "请填写举报理由。" in empty.content.decode()
    assert not MessageReport.objects.exists()
    _as(w.asker).post(report_url, {"reason": "言语不当"})
    _as(w.asker).post(report_url, {"reason": "言语不当"})  # a second click reports once
    assert MessageReport.objects.filter(message=rude, reporter=w.asker).count() == 1

    page = bureau.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and "不买就别浪费时间" in body
    assert 'data-testid="message-form"' not in body and 'data-testid="contacts"' not in body  # read-only
    bureau.get(url)
    assert list(ConversationAccess.objects.values_list("user", "conversation")) == [(w.bureau.pk, convo.pk)] * 2
    assert convo.pk in [c.pk for c in _as(w.bureau).get(reverse("inquiries:suspensions")).context["reported"]]
    assert _as(w.outsider).get(url).status_code == 404, "a report opens the conversation to the bureau only"


def test_a_suspended_account_cannot_sign_in_or_post_until_lifted(site):
    w = world()
    convo = conversation(w)
    asker = _as(w.asker)
    bureau = _as(w.bureau)
    url = reverse("inquiries:suspensions")
    assert _as(w.owner).get(url).status_code == 403
    missing = bureau.post(url, {"email": "nobody@example.com", "reason": "骚扰"})
    assert missing.status_code == 400 and "没有这个账号。" in missing.content.decode()
    assert bureau.post(url, {"email": w.bureau.email, "reason": "x"}).status_code == 400

    assert bureau.post(url, {"email": w.asker.email, "reason": "多次发送骚扰消息"}).status_code == 302
    w.asker.refresh_from_db()
    assert not w.asker.is_active
    posted = asker.post(reverse("inquiries:post_message", args=[convo.pk]), {"body": "还在吗"})
    assert posted.status_code == 302 and posted["Location"].startswith("/accounts/login/")
    assert not Message.objects.filter(author=w.asker).exists()
    fresh = Client()
    fresh.post(reverse("account_login"), {"login": w.asker.email, "password": PASSWORD})
    assert fresh.get(reverse("inquiries:inbox")).status_code == 302, "a suspended account cannot sign in"

    suspension = Suspension.objects.get(user=w.asker)
    assert (suspension.by, suspension.reason, suspension.lifted_at) == (w.bureau, "多次发送骚扰消息", None)
    bureau.post(reverse("inquiries:lift_suspension", args=[suspension.pk]))
    suspension.refresh_from_db()
    assert suspension.lifted_by == w.bureau and suspension.lifted_at is not None
    assert User.objects.get(pk=w.asker.pk).is_active
    again = Client()
    again.post(reverse("account_login"), {"login": w.asker.email, "password": PASSWORD})
    assert again.get(reverse("inquiries:inbox")).status_code == 200
