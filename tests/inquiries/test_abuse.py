"""Abuse controls: a listing's organization can block a sender organization, and one person can send
only so many inquiries in 24 hours."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.inquiries.models import Inquiry

from .builders import send, world

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _send_form(w, user, org):
    return _as(user).post(reverse("inquiries:send", args=[w.listing.pk]),
                          {"sender_org": org.pk, "need": "熔铸工艺咨询", "message": "请介绍中试条件。"})


def test_only_the_listings_organization_blocks_and_then_that_sender_is_refused(site):
    w = world()
    inquiry = send(w)
    url = reverse("inquiries:block", args=[inquiry.pk])
    assert _as(w.asker).post(url).status_code == 403
    assert _as(w.outsider).post(url).status_code == 404
    assert _as(w.bureau).post(url).status_code == 404
    assert _as(None).post(url)["Location"].startswith("/accounts/login/")
    assert _send_form(w, w.asker, w.enterprise).status_code == 302, "not blocked yet"

    assert _as(w.owner).post(url).status_code == 302
    before = Inquiry.objects.count()
    assert _send_form(w, w.asker, w.enterprise).status_code == 403
    assert Inquiry.objects.count() == before
    other = w.outsider.memberships.get().organization
    assert _send_form(w, w.outsider, other).status_code == 302, "other organizations are not affected"


def test_a_person_sends_at_most_the_daily_limit_in_24_hours(site, settings):
    settings.INQUIRY_DAILY_LIMIT = 2
    w = world()
    old = send(w)
    Inquiry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    assert _send_form(w, w.asker, w.enterprise).status_code == 302
    assert _send_form(w, w.asker, w.enterprise).status_code == 302
    refused = _send_form(w, w.asker, w.enterprise)
    assert refused.status_code == 400
    assert "24小时内最多发送 2 条咨询" in refused.content.decode()
    assert Inquiry.objects.filter(sender=w.asker).count() == 3  # the old one and two today
