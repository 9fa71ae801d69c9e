"""Who may open or act on every inquiry and conversation URL: the sender's organization, the listing's
organization (recipient), the invited agent, another organization's member, bureau staff, anonymous.

Those not concerned get 404 (a private conversation's existence is not revealed); anonymous visitors
are sent to log in. Each state-changing request gets a fresh inquiry or conversation so one role's
success cannot hide another's refusal."""

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.inquiries.models import Conversation, Inquiry, Message
from marketplace.inquiries.states import ConversationStatus, InquiryStatus

from .builders import conversation, send, world

pytestmark = pytest.mark.django_db
ROLES = ["sender", "recipient", "agent", "outsider", "bureau", "anonymous"]
LOGIN = "/accounts/login/"


def _client(w, role: str) -> Client:
    client = Client()
    user = w.user(role)
    if user is not None:
        client.force_login(user)
    return client


def _check(response, expected, role: str, url: str) -> None:
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), f"{role} on {url}"
    else:
        assert response.status_code == expected, f"{role} on {url}: {response.status_code} != {expected}"


# GET pages: role -> expected status.
READS = {
    "inbox": {"sender": 200, "recipient": 200, "agent": 200, "outsider": 200, "bureau": 200, "anonymous": "login"},
    "detail": {"sender": 200, "recipient": 200, "agent": 200, "outsider": 404, "bureau": 404, "anonymous": "login"},
    "conversation": {"sender": 200, "recipient": 200, "agent": 200, "outsider": 404, "bureau": 404,
                     "anonymous": "login"},
    # Only the invited agent opens deals; the organizations are told to invite one.
    "start_deal": {"sender": 403, "recipient": 403, "agent": 302, "outsider": 404, "bureau": 404,
                   "anonymous": "login"},
    "overview": {"sender": 403, "recipient": 403, "agent": 403, "outsider": 403, "bureau": 200,
                 "anonymous": "login"},
    # The recipient cannot ask about its own listing; agent and bureau have no verified organization.
    "send": {"sender": 200, "recipient": 403, "agent": 403, "outsider": 200, "bureau": 403, "anonymous": "login"},
}


@pytest.mark.parametrize("name", READS)
def test_who_may_open_each_page(name, site):
    w = world()
    convo = conversation(w)
    args = {"inbox": [], "overview": [], "send": [w.listing.pk], "detail": [convo.inquiry_id]}.get(name, [convo.pk])
    url = reverse(f"inquiries:{name}", args=args)
    for role in ROLES:
        _check(_client(w, role).get(url), READS[name][role], role, url)


ANSWERS = {"accept": {"reason": ""}, "decline": {"reason": "本成果已独家许可给他方"}, "refer": {}}


@pytest.mark.parametrize("action", ANSWERS)
def test_only_the_listings_organization_answers_an_inquiry(action, site):
    w = world()
    expected = {"sender": 403, "recipient": 302, "agent": 404, "outsider": 404, "bureau": 404,
                "anonymous": "login"}
    for role in ROLES:
        inquiry = send(w)
        data = {**ANSWERS[action], "agent": w.agent.pk}
        url = reverse(f"inquiries:{action}", args=[inquiry.pk])
        _check(_client(w, role).post(url, data), expected[role], role, url)
        inquiry.refresh_from_db()
        changed = inquiry.status != InquiryStatus.SENT
        assert changed == (expected[role] == 302), f"{role} {action}: status {inquiry.status}"


def test_a_referred_inquiry_is_answered_by_its_agent_only(site):
    w = world()
    expected = {"sender": 403, "recipient": 403, "agent": 302, "outsider": 404, "bureau": 404,
                "anonymous": "login"}
    for role in ROLES:
        inquiry = send(w)
        owner = _client(w, "recipient")
        assert owner.post(reverse("inquiries:refer", args=[inquiry.pk]), {"agent": w.agent.pk}).status_code == 302
        url = reverse("inquiries:accept", args=[inquiry.pk])
        _check(_client(w, role).post(url), expected[role], role, url)
        inquiry.refresh_from_db()
        assert (inquiry.status == InquiryStatus.ACCEPTED) == (role == "agent"), role
    assert Conversation.objects.filter(agent=w.agent).count() == 1


PARTICIPANT_WRITE = {"sender": 302, "recipient": 302, "agent": 302, "outsider": 404, "bureau": 404,
                     "anonymous": "login"}


def test_only_participants_post_messages(site):
    w = world()
    convo = conversation(w)
    url = reverse("inquiries:post_message", args=[convo.pk])
    for n, role in enumerate(ROLES):
        before = Message.objects.filter(conversation=convo).count()
        _check(_client(w, role).post(url, {"body": f"消息{n}", "form_token": f"tok-{n}"}),
               PARTICIPANT_WRITE[role], role, url)
        added = Message.objects.filter(conversation=convo).count() - before
        assert added == (1 if PARTICIPANT_WRITE[role] == 302 else 0), role


def test_only_participants_close_a_conversation(site):
    w = world()
    for role in ROLES:
        convo = conversation(w)
        url = reverse("inquiries:close", args=[convo.pk])
        _check(_client(w, role).post(url, {"outcome": "no_deal"}), PARTICIPANT_WRITE[role], role, url)
        convo.refresh_from_db()
        assert (convo.status == ConversationStatus.CLOSED) == (PARTICIPANT_WRITE[role] == 302), role


def test_only_the_two_organizations_invite_an_agent(site):
    w = world()
    # Before the invitation the agent is not a participant.
    expected = {**PARTICIPANT_WRITE, "agent": 404}
    for role in ROLES:
        convo = conversation(w, with_agent=False)
        url = reverse("inquiries:invite", args=[convo.pk])
        _check(_client(w, role).post(url, {"agent": w.agent.pk}), expected[role], role, url)
        convo.refresh_from_db()
        assert (convo.agent_id == w.agent.pk) == (expected[role] == 302), role


def test_a_member_of_an_unverified_organization_cannot_send(site):
    from tests.factories import make_org, make_user

    w = world()
    user = make_user("enterprise")
    make_org("enterprise", members=[user])
    client = Client()
    client.force_login(user)
    response = client.post(reverse("inquiries:send", args=[w.listing.pk]), {"need": "x", "message": "y"})
    assert response.status_code == 403
    assert not Inquiry.objects.exists()


def test_bureau_sees_that_a_conversation_exists_and_its_outcome_not_its_content(site):
    w = world()
    convo = conversation(w)
    secret = "报价可降至六十万元"
    _client(w, "sender").post(reverse("inquiries:post_message", args=[convo.pk]), {"body": secret})
    _client(w, "recipient").post(reverse("inquiries:close", args=[convo.pk]), {"outcome": "deal"})
    html = _client(w, "bureau").get(reverse("inquiries:overview")).content.decode()
    assert f'data-inquiry="{convo.inquiry_id}"' in html
    assert 'data-outcome="deal"' in html
    assert secret not in html
    assert convo.inquiry.message not in html
