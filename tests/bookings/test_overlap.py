"""One piece of equipment is never booked twice for overlapping days: a confirmation that would overlap a
confirmed (or done) booking is refused, also when two confirmations arrive at the same moment on
PostgreSQL (each in its own thread and connection; the equipment row lock serializes them)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from marketplace.bookings import services
from marketplace.bookings.models import Booking
from marketplace.bookings.states import BookingStatus
from tests.conftest import require_service
from tests.races import Answer, posts_at_once

from .builders import request, soon, world

B = BookingStatus


@pytest.mark.django_db
def test_an_overlapping_confirmation_is_refused_and_names_the_taken_days(site):
    w = world()
    first = request(w, start=10, end=14)
    services.confirm(user=w.operator, booking=first)
    second = request(w, start=14, end=16)  # shares day 14
    with pytest.raises(ValidationError, match="已有确认的预约"):
        services.confirm(user=w.operator, booking=second)
    second.refresh_from_db()
    assert second.status == B.REQUESTED


@pytest.mark.django_db
def test_back_to_back_days_and_other_equipment_are_free(site):
    w = world()
    services.confirm(user=w.operator, booking=request(w, start=10, end=14))
    services.confirm(user=w.operator, booking=request(w, start=15, end=16))  # starts the day after
    services.confirm(user=w.operator, booking=request(w, equipment=w.furnace, start=10, end=14))
    assert Booking.objects.filter(status=B.CONFIRMED).count() == 3


@pytest.mark.django_db
def test_accepting_a_proposal_onto_taken_days_is_refused(site):
    w = world()
    other = request(w, start=10, end=11)
    services.propose(user=w.operator, booking=other, start_date=soon(21), end_date=soon(22))
    services.confirm(user=w.operator, booking=request(w, start=20, end=22))  # meanwhile, days 20–22 go
    with pytest.raises(ValidationError, match="已有确认的预约"):
        services.accept_proposal(user=w.asker, booking=other)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_confirmations_at_the_same_moment_book_the_press_once(site):
    require_service("PostgreSQL", connection.vendor == "postgresql",
                    "row locks need PostgreSQL; run with DATABASE_URL (services/postgres.sh start)")
    w = world()
    bookings = [request(w, start=10, end=12), request(w, start=11, end=13), request(w, start=12, end=12)]
    answers = posts_at_once([(w.operator, reverse("bookings:confirm", args=[b.pk]), {}) for b in bookings])
    assert all(isinstance(a, Answer) and a.status == 302 for a in answers), answers
    statuses = sorted(Booking.objects.filter(pk__in=[b.pk for b in bookings]).values_list("status", flat=True))
    assert statuses == [B.CONFIRMED, B.REQUESTED, B.REQUESTED], "overlapping days were booked twice"
