"""E-mail about alerts: the person's frequency is obeyed, digests go once per period, and every link in
the mail points at the address the site is served on (SITE_BASE_URL, read when the mail is sent)."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from marketplace.alerts import services
from marketplace.alerts.frequencies import MailState
from marketplace.alerts.models import Alert, AlertDigest
from marketplace.listings.models import AchievementPage

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def _result(user, org, publish_live, title):
    return publish_live(user, org, AchievementPage, title=title)


def test_immediate_mails_one_alert_as_it_is_made_in_chinese_with_text_and_html(
    demand, enterprise_user, colleague, university_user, university, publish_live
):
    services.set_frequency(enterprise_user, "immediate")
    result = _result(university_user, university, publish_live, "高强韧铝合金轻量化车身结构件制备技术")
    assert [m.to for m in mail.outbox] == [[enterprise_user.email]], "the colleague is on the weekly default"
    message = mail.outbox[0]
    assert message.subject == f"新匹配：{result.title}"
    assert result.title in message.body and demand.title in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and result.title in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Alert.objects.get(user=enterprise_user).mail_state == MailState.SENT
    assert Alert.objects.get(user=colleague).mail_state == MailState.PENDING


def test_off_sends_nothing_ever_and_weekly_sends_nothing_at_once(
    demand, enterprise_user, colleague, university_user, university, publish_live
):
    services.set_frequency(enterprise_user, "off")
    _result(university_user, university, publish_live, "高强韧铝合金轻量化车身结构件制备技术")
    assert mail.outbox == [], "weekly (the colleague) waits for the digest; off (the author) gets nothing"
    assert Alert.objects.filter(user=enterprise_user).get().mail_state == MailState.SKIPPED, \
        "the inbox still has it"
    services.send_digests(timezone.now())
    assert [m.to for m in mail.outbox] == [[colleague.email]]


def test_a_digest_goes_once_per_period_with_every_alert_not_mailed_yet(
    demand, enterprise_user, colleague, university_user, university, publish_live
):
    services.set_frequency(enterprise_user, "daily")
    services.set_frequency(colleague, "off")
    first = _result(university_user, university, publish_live, "高强韧铝合金轻量化车身结构件制备技术")
    second = _result(university_user, university, publish_live, "铝合金电池托盘轻量化焊接成形技术")
    assert Alert.objects.filter(user=enterprise_user).count() == 2
    wednesday = dt.datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    assert services.send_digests(wednesday) == 1
    assert services.send_digests(wednesday + dt.timedelta(hours=10)) == 0, "same day: nothing again"
    (digest,) = mail.outbox
    assert digest.to == [enterprise_user.email] and digest.subject == "您有 2 条新的匹配提醒"
    assert first.title in digest.body and second.title in digest.body
    assert AlertDigest.objects.get(user=enterprise_user).period == "2026-12-02"

    # A weekly reader: one mail in week 49, the next alert waits for week 50.
    services.set_frequency(enterprise_user, "weekly")
    Alert.objects.filter(listing=second).update(mail_state=MailState.PENDING, digest=None)
    assert services.send_digests(wednesday) == 1
    Alert.objects.filter(listing=first).update(mail_state=MailState.PENDING, digest=None)
    assert services.send_digests(wednesday + dt.timedelta(days=3)) == 0, "Saturday, still week 49"
    assert services.send_digests(wednesday + dt.timedelta(days=5)) == 1, "Monday, week 50"
    assert [len(m.to) for m in mail.outbox] == [1, 1, 1]
    assert not Alert.objects.filter(user=enterprise_user, mail_state=MailState.PENDING).exists()


def test_a_refused_digest_is_not_marked_sent_and_goes_on_the_next_run(
    demand, enterprise_user, colleague, university_user, university, publish_live, settings
):
    services.set_frequency(enterprise_user, "daily")
    _result(university_user, university, publish_live, "高强韧铝合金轻量化车身结构件制备技术")
    settings.EMAIL_BACKEND = "tests.alerts.refusing_backend.RefusingBackend"
    assert services.send_digests() == 0
    assert Alert.objects.get(user=enterprise_user).mail_state == MailState.PENDING
    assert not AlertDigest.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_digests() == 2  # the author's daily and the colleague's weekly
    assert sorted(m.to[0] for m in mail.outbox) == sorted([enterprise_user.email, colleague.email])


URL = re.compile(r"https?://[^\s\"'<>）]+")


def test_every_link_in_the_mails_uses_the_served_host_and_port_and_opens(
    demand, enterprise_user, university_user, university, publish_live, settings, client
):
    settings.SITE_BASE_URL = "http://127.0.0.1:8011"
    services.set_frequency(enterprise_user, "immediate")
    result = _result(university_user, university, publish_live, "高强韧铝合金轻量化车身结构件制备技术")
    Alert.objects.filter(user=enterprise_user).update(mail_state=MailState.PENDING)
    services.set_frequency(enterprise_user, "daily")
    services.send_digests()
    immediate, digest = [m for m in mail.outbox if m.to == [enterprise_user.email]]
    client.force_login(enterprise_user)
    for message in (immediate, digest):
        html = message.alternatives[0][0]
        links = set(URL.findall(message.body)) | set(re.findall(r'href="([^"]+)"', html))
        links.add(message.extra_headers["List-Unsubscribe"].strip("<>"))
        paths = set()
        for link in links:
            parts = urlsplit(link)
            assert (parts.scheme, parts.netloc) == ("http", "127.0.0.1:8011"), link
            paths.add(parts.path)
        assert {result.url, demand.url, "/my/alerts/", "/my/alerts/settings/", "/"} <= paths
        for path in paths:
            assert client.get(path).status_code == 200, path


def test_an_alert_mail_never_moves_off_the_table(demand, enterprise_user, university_user, university,
                                                 publish_live):
    from marketplace.core.states import TransitionRefused

    services.set_frequency(enterprise_user, "off")
    _result(university_user, university, publish_live, "盐碱地耐盐小麦新品种选育技术")
    skipped = Alert.objects.filter(user=enterprise_user)
    assert [a.mail_state for a in skipped] == [MailState.SKIPPED]
    with pytest.raises(TransitionRefused):
        services.move_mail_state(skipped, MailState.SKIPPED, MailState.PENDING)
    assert [a.mail_state for a in Alert.objects.filter(user=enterprise_user)] == [MailState.SKIPPED]
