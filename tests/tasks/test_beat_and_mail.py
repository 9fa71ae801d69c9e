"""Beat's schedule names tasks that exist; e-mail sent with Django's API goes out through the e-mail task
(in-process here: no broker), keeping its HTML part and attachments, and only once the transaction commits."""

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from config.celery import app

pytestmark = pytest.mark.django_db


def test_every_periodic_job_names_a_registered_task():
    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    assert {"search-outbox-sweep", "inquiry-digests", "unpaid-registration-expiry", "waitlist-offer-lapse",
            "demand-deadline-reminders", "event-reminders"} <= set(schedule)
    for name, entry in schedule.items():
        assert entry["task"] in app.tasks, f"beat entry {name} names an unknown task {entry['task']}"


@pytest.fixture
def mail_through_tasks(settings):
    settings.EMAIL_BACKEND = "jobs.mail.TaskEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _message() -> EmailMultiAlternatives:
    message = EmailMultiAlternatives("报名成功", "您已报名。", "noreply@techmarket.binzhou.example", ["a@example.cn"])
    message.attach_alternative("<p>您已报名。</p>", "text/html")
    message.attach("ticket.txt", "票号 A1B2", "text/plain")
    return message


def test_mail_is_sent_by_the_task_after_commit(mail_through_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _message().send()
        assert mail.outbox == [], "nothing leaves before the transaction commits"
    assert len(callbacks) == 1
    [sent] = mail.outbox
    assert (sent.subject, sent.body, sent.to) == ("报名成功", "您已报名。", ["a@example.cn"])
    assert sent.alternatives[0][:2] == ("<p>您已报名。</p>", "text/html")
    assert [(a[0], a[1]) for a in sent.attachments] == [("ticket.txt", "票号 A1B2")]


def test_mail_of_a_rolled_back_transaction_is_never_sent(mail_through_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                _message().send()
                raise RuntimeError("the request failed")
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []
