"""Contact details are personal data: a conversation shows them only once both organizations agreed."""

import pytest
from django.test import Client
from django.urls import reverse

from .builders import conversation, world

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_contacts_show_only_after_both_sides_share(site):
    w = world()
    w.university.contact_phone = "0543-3190000"
    w.university.save(update_fields=["contact_phone"])
    convo = conversation(w)
    page = reverse("inquiries:conversation", args=[convo.pk])
    share = reverse("inquiries:share_contact", args=[convo.pk])

    assert _as(w.owner).post(share).status_code == 302
    html = _as(w.asker).get(page).content.decode()
    assert 'data-exchanged="no"' in html and "0543-3190000" not in html, "one side is not enough"

    assert _as(w.asker).post(share).status_code == 302
    html = _as(w.asker).get(page).content.decode()
    assert 'data-exchanged="yes"' in html and "0543-3190000" in html


def test_who_may_share_contacts(site):
    w = world()
    expected = {"agent": 403, "outsider": 404, "bureau": 404}
    for role, status in expected.items():
        convo = conversation(w)
        response = _as(w.user(role)).post(reverse("inquiries:share_contact", args=[convo.pk]))
        assert response.status_code == status, role
        convo.refresh_from_db()
        assert not (convo.sender_shares_contact or convo.recipient_shares_contact), role
    convo = conversation(w)
    assert _as(None).post(reverse("inquiries:share_contact", args=[convo.pk]))["Location"].startswith(
        "/accounts/login/")
