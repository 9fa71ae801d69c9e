"""The deal remembers the conversation it grew out of: the agent's 发起商机 carries it through the deals
form, the deal page shows it to the parties, and no agent can tie a deal to a conversation they are not in."""

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.deals.models import Deal
from tests.factories import make_user

from .builders import conversation, world

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _posted(form) -> dict:
    data = {name: form[name].value() for name in form.fields}
    return {k: v for k, v in data.items() if v not in (None, [], "")}


def test_the_deal_opened_from_a_conversation_links_back_to_it(site):
    w = world()
    convo = conversation(w)
    agent = _as(w.agent)
    form = agent.get(reverse("inquiries:start_deal", args=[convo.pk]), follow=True).context["form"]
    response = agent.post(reverse("deals:new"), _posted(form))
    deal = Deal.objects.get()
    assert response.status_code == 302 and deal.conversation == convo
    for party in (w.asker, w.owner, w.agent):
        page = _as(party).get(reverse("deals:detail", args=[deal.pk]))
        if page.status_code == 200:
            assert reverse("inquiries:conversation", args=[convo.pk]) in page.content.decode()
    page = _as(w.agent).get(reverse("deals:detail", args=[deal.pk])).content.decode()
    assert reverse("inquiries:conversation", args=[convo.pk]) in page


def test_an_agent_outside_the_conversation_cannot_claim_it(site):
    w = world()
    convo = conversation(w)
    form = _as(w.agent).get(reverse("inquiries:start_deal", args=[convo.pk]), follow=True).context["form"]
    stranger = make_user("agent")
    response = _as(stranger).post(reverse("deals:new"), _posted(form))
    assert response.status_code == 400
    assert "只能由您参与的洽谈发起商机。" in response.content.decode()
    assert not Deal.objects.exists()
