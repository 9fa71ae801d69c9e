"""The inbox at /my/alerts/, the settings page and the one-click unsubscribe: each person sees and
changes only their own."""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from marketplace.alerts import selectors, services
from marketplace.alerts.frequencies import MailState
from marketplace.alerts.models import Alert, AlertSettings

pytestmark = pytest.mark.django_db


def test_a_person_sees_only_their_own_alerts_and_marks_them_read(
    client, new_result, enterprise_user, colleague, university_user
):
    mine = Alert.objects.get(user=enterprise_user)
    theirs = Alert.objects.get(user=colleague)
    client.force_login(enterprise_user)
    home = client.get("/my/alerts/").content.decode()
    assert f'data-alert="{mine.pk}"' in home and f'data-alert="{theirs.pk}"' not in home
    assert 'data-unread-alerts="1"' in home, "the account menu counts unread alerts"

    assert client.post(f"/my/alerts/{theirs.pk}/read/").status_code == 404, "someone else's alert is not revealed"
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.post(f"/my/alerts/{mine.pk}/read/").status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "data-unread-alerts" not in client.get("/my/alerts/").content.decode()
    assert selectors.unread_count(colleague) == 1

    client.force_login(university_user)
    assert "data-alert=" not in client.get("/my/alerts/").content.decode(), "the publisher gets no alert"
    client.force_login(colleague)
    client.post("/my/alerts/read-all/")
    assert selectors.unread_count(colleague) == 0


def test_the_settings_form_changes_the_frequency_and_rejects_an_unknown_one(client, enterprise_user):
    client.force_login(enterprise_user)
    page = client.get("/my/alerts/settings/").content.decode()
    assert re.search(r'value="weekly"[^>]*checked', page), "weekly is the default"
    assert client.post("/my/alerts/settings/", {"frequency": "daily"}).status_code == 302
    assert AlertSettings.objects.get(user=enterprise_user).frequency == "daily"
    bad = client.post("/my/alerts/settings/", {"frequency": "hourly"})
    assert bad.status_code == 200
    assert "选择一个有效的选项" in bad.content.decode(), "the field error is in Chinese"
    assert AlertSettings.objects.get(user=enterprise_user).frequency == "daily"


def test_one_click_unsubscribe_from_the_mail_turns_email_off_without_a_login(
    new_result, enterprise_user, colleague, publish_live
):
    services.send_digests()
    message = next(m for m in mail.outbox if m.to == [enterprise_user.email])
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    path = urlsplit(url).path
    browser = Client(enforce_csrf_checks=True)
    # A link scanner's GET changes nothing.
    assert browser.get(path).status_code == 200
    assert selectors.frequency_of(enterprise_user) == "weekly"
    # The mail client's RFC 8058 POST: no session, no CSRF token.
    answer = browser.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 200 and 'data-testid="unsubscribed"' in answer.content.decode()
    assert selectors.frequency_of(enterprise_user) == "off"
    assert selectors.frequency_of(colleague) == "weekly", "only the person the link names"
    assert not Alert.objects.filter(user=enterprise_user, mail_state=MailState.PENDING).exists()


@pytest.mark.parametrize("token", ["not-a-token", "MQ:1tamper:0000000000000000000000000000000000000000000"])
def test_a_bad_unsubscribe_link_answers_400_with_a_clear_page(client, enterprise_user, token):
    for answer in (client.get(f"/my/alerts/unsubscribe/{token}/"),
                   client.post(f"/my/alerts/unsubscribe/{token}/")):
        assert answer.status_code == 400
        assert "这个退订链接不完整或已失效，未做任何更改" in answer.content.decode()
    assert selectors.frequency_of(enterprise_user) == "weekly"


def test_the_personal_data_download_includes_the_persons_alerts(client, new_result, enterprise_user):
    client.force_login(enterprise_user)
    data = json.loads(client.get("/accounts/personal-data/").content)
    section = data["match_alerts"]
    assert section["frequency"] == "weekly"
    assert [a["listing_title"] for a in section["alerts"]] == [new_result.title]
