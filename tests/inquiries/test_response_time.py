"""The owner's nudge: median hours from an inquiry's arrival to its first answer, worked out by hand."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.inquiries import selectors, services
from marketplace.inquiries.models import Inquiry

from .builders import send, world

pytestmark = pytest.mark.django_db


def _answered_after(w, hours: float) -> None:
    inquiry = send(w)
    services.accept_inquiry(user=w.owner, inquiry=inquiry)
    arrived = Inquiry.objects.get(pk=inquiry.pk).answered_at - timedelta(hours=hours)
    Inquiry.objects.filter(pk=inquiry.pk).update(created_at=arrived)


def test_median_hours_to_first_answer_and_the_waiting_count(site):
    w = world()
    for hours in (2, 10, 4):
        _answered_after(w, hours)
    send(w)  # still waiting: counted apart, not as zero hours
    # Sorted spans 2, 4, 10 -> the median is 4 hours.
    result = selectors.response_time({w.university.pk})
    assert (result.median_hours, result.answered, result.waiting) == (4.0, 3, 1)
    client = Client()
    client.force_login(w.owner)
    html = client.get(reverse("inquiries:inbox")).content.decode()
    assert 'data-median="4.0" data-waiting="1"' in html


def test_a_referral_then_acceptance_keeps_the_first_answer_time(site):
    w = world()
    inquiry = send(w)
    services.refer_inquiry(user=w.owner, inquiry=inquiry, agent=w.agent)
    first = Inquiry.objects.get(pk=inquiry.pk).answered_at
    services.accept_inquiry(user=w.agent, inquiry=inquiry)
    assert Inquiry.objects.get(pk=inquiry.pk).answered_at == first
    assert timezone.now() >= first
