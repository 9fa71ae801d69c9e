"""The agent's workbench and a deal's page, through HTTP as an agent uses them."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.agreements.models import Agreement
from marketplace.deals import services
from marketplace.deals.models import Deal, DealTransition
from marketplace.deals.stages import Stage
from tests.factories import county, field, make_org, make_user

from .builders import deal_at, make_agent, open_manual_deal

pytestmark = pytest.mark.django_db


def _move_post(deal: Deal, to_stage: str, **fields) -> dict:
    data = {
        "to_stage_target": to_stage,
        f"{to_stage}-to_stage": to_stage,
        f"{to_stage}-expected_stage": deal.stage,
        f"{to_stage}-version": deal.version,
    }
    data.update({f"{to_stage}-{k}": v for k, v in fields.items()})
    return data


def test_the_workbench_is_a_board_by_stage_with_match_reasons(client):
    agent = make_agent()
    matched = services.open_deal(
        agent=agent,
        enterprise=make_org("enterprise"),
        academic=make_org("university"),
        title="铝合金托盘项目",
        match=services.MatchInfo(score=0.7, reasons=["同属铝基轻量化领域"], shared_terms=["铝合金"]),
    )
    negotiating = deal_at(Stage.NEGOTIATING, agent=agent)
    someone_elses = open_manual_deal()
    client.force_login(agent)
    page = client.get("/deals/").content.decode()
    columns = re.findall(r'data-stage="(\w+)"', page)
    assert columns == [
        "lead",
        "contacted",
        "negotiating",
        "agreement_signed",
        "contract_registered",
        "executing",
        "closed",
        "lost",
    ]
    lead_column = page.split('data-stage="lead"')[1].split('data-stage="contacted"')[0]
    assert f'data-deal="{matched.pk}"' in lead_column and "同属铝基轻量化领域" in lead_column
    negotiating_column = page.split('data-stage="negotiating"')[1].split('data-stage="agreement_signed"')[0]
    assert f'data-deal="{negotiating.pk}"' in negotiating_column
    assert f'data-deal="{someone_elses.pk}"' not in page


def test_the_workbench_is_for_agents_and_bureau(client):
    assert client.get("/deals/").status_code == 302
    client.force_login(make_user("enterprise"))
    assert client.get("/deals/").status_code == 403
    client.force_login(make_user("bureau"))
    assert client.get("/deals/").status_code == 200


def test_an_agent_opens_a_deal_by_hand(client):
    agent = make_agent()
    enterprise, university = make_org("enterprise"), make_org("university")
    client.force_login(agent)
    response = client.post(
        "/deals/new/", {"title": "秸秆综合利用", "enterprise": enterprise.pk, "academic": university.pk}
    )
    deal = Deal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("deals:detail", args=[deal.pk])
    assert (deal.agent, deal.enterprise, deal.academic, deal.stage) == (
        agent,
        enterprise,
        university,
        Stage.LEAD,
    )
    missing = client.post("/deals/new/", {"title": "无企业"})
    assert missing.status_code == 400 and "请选择企业方" in missing.content.decode()
    client.force_login(make_user("enterprise"))
    assert client.get("/deals/new/").status_code == 403


def test_moving_a_deal_through_its_page(client):
    deal = open_manual_deal()
    client.force_login(deal.agent)
    detail = client.get(f"/deals/{deal.pk}/").content.decode()
    assert 'data-target-stage="contacted"' in detail and 'data-target-stage="lost"' in detail
    assert 'data-target-stage="negotiating"' not in detail  # only the allowed moves are offered
    response = client.post(f"/deals/{deal.pk}/move/", _move_post(deal, Stage.CONTACTED, note="电话沟通"))
    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.stage == Stage.CONTACTED
    assert "电话沟通" in client.get(f"/deals/{deal.pk}/").content.decode()


def test_an_illegal_move_is_refused_with_its_reason(client):
    deal = open_manual_deal()
    client.force_login(deal.agent)
    response = client.post(f"/deals/{deal.pk}/move/", _move_post(deal, Stage.CLOSED))
    assert response.status_code == 400
    assert "不能跳过阶段" in response.content.decode()
    deal.refresh_from_db()
    assert deal.stage == Stage.LEAD
    unknown = client.post(f"/deals/{deal.pk}/move/", {"to_stage_target": "won"})
    assert unknown.status_code == 400


def test_a_stale_page_is_told_to_refresh(client):
    deal = open_manual_deal()
    stale = _move_post(deal, Stage.CONTACTED)
    client.force_login(deal.agent)
    assert client.post(f"/deals/{deal.pk}/move/", stale).status_code == 302
    again = client.post(f"/deals/{deal.pk}/move/", stale)
    assert again.status_code == 409
    assert "该商机已被他人更新，请刷新后重试" in again.content.decode()
    assert DealTransition.objects.filter(deal=deal).count() == 1


def test_lost_needs_a_reason_on_the_form(client):
    deal = open_manual_deal()
    client.force_login(deal.agent)
    response = client.post(f"/deals/{deal.pk}/move/", _move_post(deal, Stage.LOST, reason=""))
    assert response.status_code == 400 and "请填写流失原因" in response.content.decode()
    assert (
        client.post(f"/deals/{deal.pk}/move/", _move_post(deal, Stage.LOST, reason="需求取消")).status_code
        == 302
    )
    deal.refresh_from_db()
    assert (deal.stage, deal.lost_reason) == (Stage.LOST, "需求取消")


def test_signing_on_the_page_asks_for_the_agreement_and_creates_it(client):
    deal = deal_at(Stage.NEGOTIATING)
    client.force_login(deal.agent)
    detail = client.get(f"/deals/{deal.pk}/").content.decode()
    assert 'name="agreement_signed-amount"' in detail and 'name="agreement_signed-signed_on"' in detail
    agreement = {
        "title": "电池托盘轻量化技术开发合同",
        "agreement_type": "development",
        "amount": "-1",
        "signed_on": timezone.localdate().isoformat(),
        "county": county("boxing").pk,
        "field": field("aluminium").pk,
    }
    bad = client.post(f"/deals/{deal.pk}/move/", _move_post(deal, Stage.AGREEMENT_SIGNED, **agreement))
    assert bad.status_code == 400 and "金额不能为负数" in bad.content.decode()
    assert not Agreement.objects.exists()
    agreement["amount"] = "360000"
    good = client.post(f"/deals/{deal.pk}/move/", _move_post(deal, Stage.AGREEMENT_SIGNED, **agreement))
    assert good.status_code == 302
    deal.refresh_from_db()
    signed = Agreement.objects.get(deal=deal)
    assert deal.stage == Stage.AGREEMENT_SIGNED
    assert (signed.amount, signed.county.slug) == (Decimal("360000.00"), "boxing")
    # The deal page now leads to the agreement, where its confirmation and verification go on.
    page = client.get(f"/deals/{deal.pk}/").content.decode()
    assert f'href="/agreements/{signed.pk}/" data-testid="deal-agreement-link"' in page and "已录入" in page
    assert client.get(f"/agreements/{signed.pk}/").status_code == 200


def test_other_agents_cannot_see_or_move_a_deal(client):
    deal = open_manual_deal()
    client.force_login(make_agent())
    assert client.get(f"/deals/{deal.pk}/").status_code == 404
    assert client.post(f"/deals/{deal.pk}/move/", _move_post(deal, Stage.CONTACTED)).status_code == 404
    deal.refresh_from_db()
    assert deal.stage == Stage.LEAD


def test_the_signing_date_is_prefilled_in_the_format_the_date_field_accepts(client):
    """<input type="date"> shows its value only as yyyy-mm-dd; the Chinese locale's 2026/12/02 left it
    empty in the browser."""
    deal = deal_at(Stage.NEGOTIATING)
    client.force_login(deal.agent)
    detail = client.get(f"/deals/{deal.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    field_html = re.search(r'<input[^>]*name="agreement_signed-signed_on"[^>]*>', detail).group(0)
    today = timezone.localdate()
    assert 'type="date"' in field_html
    assert f'value="{today.year:04d}-{today.month:02d}-{today.day:02d}"' in field_html
