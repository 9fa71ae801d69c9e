"""No duplicate deals: the new-deal form posted twice (double click, Back and submit again, two posts
at the same moment) opens one deal, and the repeat lands on it; never a 500."""

import uuid

import pytest
from django.db import connection
from django.urls import reverse

from marketplace.deals.models import Deal
from tests.conftest import require_service
from tests.factories import make_org
from tests.races import post_at_once, redirects

from .builders import make_agent


def deal_post(enterprise, academic, **overrides) -> dict:
    data = {"title": "秸秆综合利用技术合作", "enterprise": enterprise.pk, "academic": academic.pk,
            "notes": "企业希望年内完成中试。", "form_token": uuid.uuid4().hex}
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_back_and_submit_again_opens_one_deal(client):
    agent = make_agent()
    client.force_login(agent)
    data = deal_post(make_org("enterprise"), make_org("university"))
    first = client.post("/deals/new/", data)
    same_page = client.post("/deals/new/", data, follow=True)
    refetched = client.post("/deals/new/", {**data, "form_token": uuid.uuid4().hex}, follow=True)
    deal = Deal.objects.get()
    assert first["Location"] == reverse("deals:detail", args=[deal.pk])
    assert same_page.redirect_chain == refetched.redirect_chain == [(first["Location"], 302)]
    assert "未重复保存" in refetched.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_deal_posted_three_times_at_once_is_opened_once():
    require_service("PostgreSQL", connection.vendor == "postgresql",
                    "concurrent posts need PostgreSQL; run with DATABASE_URL (services/run_tests.sh)")
    agent = make_agent()
    data = deal_post(make_org("enterprise"), make_org("university"))
    answers = post_at_once(agent, "/deals/new/", [data] * 3)
    deal = Deal.objects.get()
    assert redirects(answers) == {reverse("deals:detail", args=[deal.pk])}
