"""Signing up the way a visitor does: allauth's real sign-up form, the e-mail, the confirmation link."""

import re

from django.core import mail

PASSWORD = "Bz-2023-safe-pass"


def signup_data(email: str, *, name: str = "张工", role: str = "enterprise", consent: bool = True) -> dict:
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, "display_name": name, "role": role}
    if consent:
        data["privacy_consent"] = "on"
    return data


def confirmation_path(message) -> str:
    return re.search(r"http://testserver(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def sign_up_and_confirm(client, email: str, **fields) -> None:
    """Sign up, follow the link mailed to this address, and log in; the client ends signed in."""
    sent_before = len(mail.outbox)
    response = client.post("/accounts/signup/", signup_data(email, **fields))
    assert response.status_code == 302, response.content.decode()[:3000]
    message = mail.outbox[sent_before]
    assert message.to == [email.lower()]
    client.post(confirmation_path(message))
    client.logout()
    client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert "_auth_user_id" in client.session, f"{email} could not log in after confirming"
