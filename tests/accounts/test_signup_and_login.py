"""Sign-up, e-mail verification, log-in, password reset and log-out go through django-allauth."""

import re

import pytest
from django.core import mail

from accounts.models import PlatformRole, User
from tests.accounts.signup import signup_data

pytestmark = pytest.mark.django_db

PASSWORD = "Bz-2023-safe-pass"


def _signup(client, email="zhang@example.com", role="enterprise"):
    return client.post("/accounts/signup/", signup_data(email, role=role))


def _confirmation_link(message) -> str:
    return re.search(r"http://[^\s]+/accounts/confirm-email/[^\s]+/", message.body).group(0)


def test_signup_requires_email_verification_before_login(client):
    response = _signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="zhang@example.com")
    assert user.role == PlatformRole.ENTERPRISE
    assert user.display_name == "张工"
    assert len(mail.outbox) == 1

    client.logout()
    blocked = client.post("/accounts/login/", {"login": "zhang@example.com", "password": PASSWORD})
    assert "_auth_user_id" not in client.session  # unverified: no session
    assert blocked.status_code == 302 and "confirm-email" in blocked["Location"]

    link = _confirmation_link(mail.outbox[-1])
    path = link.split("testserver", 1)[1]
    client.post(path)
    client.post("/accounts/login/", {"login": "zhang@example.com", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_cannot_claim_bureau_role(client):
    response = _signup(client, email="fake@example.com", role="bureau")
    assert response.status_code == 200
    assert not User.objects.filter(email="fake@example.com").exists()
    assert "role" in response.context["form"].errors


def test_password_reset_sends_a_working_link(client, enterprise_user):
    client.post("/accounts/password/reset/", {"email": enterprise_user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/key/[^\s]+)", mail.outbox[0].body).group(1)
    follow = client.get(link)
    form_url = follow["Location"] if follow.status_code == 302 else link
    client.post(form_url, {"password1": "New-pass-2023-x", "password2": "New-pass-2023-x"})
    enterprise_user.refresh_from_db()
    assert enterprise_user.check_password("New-pass-2023-x")


def test_logout_ends_the_session(client, enterprise_user):
    client.force_login(enterprise_user)
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_are_rate_limited(client, enterprise_user):
    for _ in range(5):
        client.post("/accounts/login/", {"login": enterprise_user.email, "password": "wrong"})
    response = client.post("/accounts/login/", {"login": enterprise_user.email, "password": "Str0ng-pass!"})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
