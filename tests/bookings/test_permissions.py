"""Who may open each booking URL: the base's operator, the enterprise that booked, an agent, another
verified enterprise, bureau staff, an anonymous visitor. A booking is the two sides' business: everyone
else gets 404 (its existence is not revealed); a move made by the wrong side is 403."""

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.bookings import services
from marketplace.bookings.states import BookingStatus

from .builders import request, soon, world

pytestmark = pytest.mark.django_db
B = BookingStatus
ROLES = ("operator", "enterprise", "agent", "outsider", "bureau", "anonymous")
LOGIN = "login"


def _get(w, role, url, method="GET", data=None):
    client = Client()
    user = w.user(role)
    if user is not None:
        client.force_login(user)
    response = client.post(url, data or {}) if method == "POST" else client.get(url)
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return LOGIN
    return response.status_code


@pytest.fixture
def w(site):
    return world()


def test_request_form(w):
    url = reverse("bookings:request", args=[w.base.pk])
    got = {role: _get(w, role, url) for role in ROLES}
    # The operator's organization runs the base; agents and bureau staff are no enterprise.
    assert got == {"operator": 403, "enterprise": 200, "agent": 403, "outsider": 200, "bureau": 403,
                   "anonymous": LOGIN}


def test_list_shows_only_ones_own_bookings(w):
    booking = request(w)
    for role in ROLES:
        response = Client()
        if w.user(role):
            response.force_login(w.user(role))
        body = response.get(reverse("bookings:list")).content.decode()
        shown = reverse("bookings:detail", args=[booking.pk]) in body
        assert shown == (role in ("operator", "enterprise")), role


def test_detail(w):
    booking = request(w)
    got = {role: _get(w, role, reverse("bookings:detail", args=[booking.pk])) for role in ROLES}
    assert got == {"operator": 200, "enterprise": 200, "agent": 404, "outsider": 404, "bureau": 404,
                   "anonymous": LOGIN}


@pytest.mark.parametrize(("name", "status", "data", "allowed"), [
    ("confirm", B.REQUESTED, {}, "operator"),
    ("propose", B.REQUESTED, {"start_date": soon(30).isoformat(), "end_date": soon(31).isoformat()}, "operator"),
    ("decline", B.REQUESTED, {"reason": "设备检修"}, "operator"),
    ("accept", B.PROPOSED, {}, "enterprise"),
    ("decline", B.PROPOSED, {"reason": "日期不合适"}, "enterprise"),
    ("done", B.CONFIRMED, {}, "operator"),
])
def test_moves(w, name, status, data, allowed):
    def fresh():
        booking = request(w, start=1, end=1)
        if status == B.PROPOSED:
            services.propose(user=w.operator, booking=booking, start_date=soon(2), end_date=soon(2))
        elif status == B.CONFIRMED:
            services.confirm(user=w.operator, booking=booking)
            from .builders import move_into_the_past
            move_into_the_past(booking)
        return booking

    for role in ROLES:
        booking = fresh()
        got = _get(w, role, reverse(f"bookings:{name}", args=[booking.pk]), "POST", data)
        booking.refresh_from_db()
        if role == allowed:
            assert got == 302 and booking.status != status, (name, role)
        else:
            expected = {"anonymous": LOGIN, "operator": 403, "enterprise": 403}.get(role, 404)
            assert (got, booking.status) == (expected, status), (name, role)
