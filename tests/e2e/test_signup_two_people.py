"""Two people sign up one after the other in a real browser, each through the privacy notice and the
e-mail confirmation, and each then works in their own account (there is no username to collide)."""

import re
import time

import pytest
from django.core import mail

from accounts.models import PrivacyConsent, User
from accounts.privacy import PRIVACY_NOTICE_VERSION

from .conftest import log_in

PASSWORD = "Bz-2023-safe-pass"


def _confirmation_link(email: str, deadline_seconds: float = 20) -> str:
    """The live server sends the mail from its own thread: poll the outbox until it arrives."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        for message in mail.outbox:
            if message.to == [email]:
                return re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", message.body).group(0)
        time.sleep(0.1)
    raise AssertionError(f"no confirmation e-mail reached {email} within {deadline_seconds}s")


def _sign_up(page, base: str, email: str, name: str, role: str) -> None:
    page.goto(f"{base}/accounts/signup/")
    assert "个人信息保护说明" in page.inner_text("#privacy-notice")
    form = page.locator('form[action$="/accounts/signup/"]')
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    form.locator("input[name=display_name]").fill(name)
    form.locator("select[name=role]").select_option(role)
    form.locator("input[name=privacy_consent]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/signup/" not in url)

    page.goto(_confirmation_link(email))
    page.locator('form[action*="/accounts/confirm-email/"] button[type=submit]').click()
    page.wait_for_url(lambda url: "/accounts/confirm-email/" not in url)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_sign_up_one_after_the_other(live_server, new_page, site):
    base = live_server.url
    people = [("zhang@hongtuo.example.cn", "张经理", "enterprise"), ("li@bzu.example.edu.cn", "李老师", "university")]
    for email, name, role in people:
        page = new_page()
        _sign_up(page, base, email, name, role)
        log_in(page, base, email, PASSWORD)
        page.goto(f"{base}/accounts/dashboard/")
        assert name in page.inner_text("body")  # the dashboard greets this person, signed in

    assert User.objects.count() == 2
    for email, name, role in people:
        user = User.objects.get(email=email)
        assert (user.display_name, user.role) == (name, role)
        assert user.privacy_consents.get().version == PRIVACY_NOTICE_VERSION
    assert PrivacyConsent.objects.count() == 2
