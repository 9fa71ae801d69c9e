"""New-message e-mail is batched: one e-mail per person per run, covering every message they have
neither read nor been mailed about, and never the same message twice."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from marketplace.inquiries import services
from marketplace.inquiries.services.digests import send_message_digests

from .builders import conversation, world

pytestmark = pytest.mark.django_db


def _bodies_to(address: str) -> list[str]:
    return [m.body for m in mail.outbox if m.to == [address]]


def test_three_messages_make_one_email_per_other_participant_and_none_twice(
        site, django_capture_on_commit_callbacks):
    w = world()
    convo = conversation(w)  # the owner's university, the asking enterprise and the invited agent
    for text in ("样件已寄出。", "请查收检测报告。", "下周可以面谈吗？"):
        services.post_message(user=w.asker, conversation=convo, body=text)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_message_digests() == 2
    assert len(_bodies_to(w.owner.email)) == 1 and "3 条新消息" in _bodies_to(w.owner.email)[0]
    assert len(_bodies_to(w.agent.email)) == 1 and "3 条新消息" in _bodies_to(w.agent.email)[0]
    assert _bodies_to(w.asker.email) == [], "nobody is mailed about their own messages"

    with django_capture_on_commit_callbacks(execute=True):
        assert send_message_digests() == 0
    assert len(mail.outbox) == 2, "a second run mails nothing already mailed"

    # The owner reads the conversation; the agent does not. One more message arrives.
    services.mark_read(user=w.owner, conversation=convo)
    services.post_message(user=w.asker, conversation=convo, body="报价单已更新。")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_message_digests() == 2
    assert "1 条新消息" in _bodies_to(w.owner.email)[-1]
    assert "1 条新消息" in _bodies_to(w.agent.email)[-1]


def test_what_was_read_before_the_run_is_not_mailed(site, django_capture_on_commit_callbacks):
    w = world()
    convo = conversation(w, with_agent=False)
    services.post_message(user=w.owner, conversation=convo, body="欢迎来校面谈。")
    services.mark_read(user=w.asker, conversation=convo)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        out = StringIO()
        call_command("send_inquiry_digests", stdout=out)
    assert out.getvalue().startswith("0 ")
    assert mail.outbox == []
