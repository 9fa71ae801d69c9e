"""Opening deals, and the moves that carry data: lost (reason), signed (agreement), registered."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from marketplace.agreements.models import Agreement, AgreementParty, AgreementSource, PartySide
from marketplace.deals import services
from marketplace.deals.models import Deal, DealOrigin, DealTransition
from marketplace.deals.stages import Stage, TransitionRefused
from marketplace.listings.models import DemandPage
from marketplace.listings.services import create_listing
from tests.factories import achievement_data, demand_data, make_org, make_user

from .builders import deal_at, make_agent, move, open_manual_deal, terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def demand(site, enterprise, enterprise_user) -> DemandPage:
    return create_listing(user=enterprise_user, model=DemandPage, data=demand_data(enterprise))


@pytest.fixture
def achievement(site, university, university_user):
    from marketplace.listings.models import AchievementPage

    return create_listing(user=university_user, model=AchievementPage, data=achievement_data(university))


def test_a_deal_opened_from_a_match_keeps_the_engines_reasons(demand, achievement, enterprise, university):
    agent = make_agent()
    match = services.MatchInfo(
        score=0.82,
        reasons=["同属铝基轻量化领域", "共同关键词：铝合金、轻量化"],
        shared_terms=["铝合金", "轻量化"],
    )
    deal = services.open_deal(agent=agent, demand=demand, achievement=achievement, match=match)
    deal.refresh_from_db()
    assert deal.origin == DealOrigin.MATCH
    assert (deal.enterprise, deal.academic) == (enterprise, university)
    assert deal.match_reasons == ["同属铝基轻量化领域", "共同关键词：铝合金、轻量化"]
    assert deal.match_shared_terms == ["铝合金", "轻量化"]
    assert deal.match_score == pytest.approx(0.82)
    assert deal.stage == Stage.LEAD and demand.title in deal.title


def test_a_deal_opened_from_a_demand_alone_has_the_demands_enterprise(demand, enterprise):
    deal = services.open_deal(agent=make_agent(), demand=demand)
    assert (deal.origin, deal.enterprise, deal.academic) == (DealOrigin.DEMAND, enterprise, None)
    assert deal.has_only_demand


def test_a_deal_by_hand_needs_an_enterprise_that_is_an_enterprise():
    agent = make_agent()
    with pytest.raises(ValidationError) as missing:
        services.open_deal(agent=agent, academic=make_org("university"))
    assert "enterprise" in missing.value.message_dict
    with pytest.raises(ValidationError) as wrong_kind:
        services.open_deal(agent=agent, enterprise=make_org("university", name="滨州学院"))
    assert "不是企业" in " ".join(wrong_kind.value.message_dict["enterprise"])
    with pytest.raises(ValidationError) as wrong_academic:
        services.open_deal(agent=agent, enterprise=make_org("enterprise"), academic=make_org("enterprise"))
    assert "academic" in wrong_academic.value.message_dict
    assert Deal.objects.count() == 0


def test_only_agents_open_deals():
    with pytest.raises(PermissionDenied):
        services.open_deal(agent=make_user("enterprise"), enterprise=make_org("enterprise"))


def test_only_the_deals_agents_and_bureau_move_it():
    deal = open_manual_deal()
    stranger = make_agent()
    with pytest.raises(PermissionDenied):
        move(deal, Stage.CONTACTED, user=stranger)
    co_agent = make_agent()
    deal.collaborators.add(co_agent)
    assert move(deal, Stage.CONTACTED, user=co_agent).stage == Stage.CONTACTED
    deal.refresh_from_db()
    assert move(deal, Stage.NEGOTIATING, user=make_user("bureau")).stage == Stage.NEGOTIATING


def test_lost_needs_a_reason_and_keeps_it():
    deal = open_manual_deal()
    with pytest.raises(ValidationError) as error:
        move(deal, Stage.LOST, reason="   ")
    assert "reason" in error.value.message_dict
    deal.refresh_from_db()
    assert deal.stage == Stage.LEAD
    lost = move(deal, Stage.LOST, reason="企业转向自主研发")
    assert (lost.stage, lost.lost_reason) == (Stage.LOST, "企业转向自主研发")


def test_signing_creates_the_agreement_with_the_deals_parties():
    deal = deal_at(Stage.NEGOTIATING)
    signed = move(deal, Stage.AGREEMENT_SIGNED, agreement=terms(amount=Decimal("450000.50")))
    agreement = Agreement.objects.get(deal=signed)
    assert agreement.source == AgreementSource.DEAL
    assert agreement.amount == Decimal("450000.50")
    sides = {(p.organization_id, p.side) for p in AgreementParty.objects.filter(agreement=agreement)}
    assert sides == {(deal.enterprise_id, PartySide.ENTERPRISE), (deal.academic_id, PartySide.ACADEMIC)}
    assert agreement.created_by == deal.agent


def test_a_bad_agreement_rolls_the_whole_move_back():
    deal = deal_at(Stage.NEGOTIATING)
    with pytest.raises(ValidationError) as error:
        move(deal, Stage.AGREEMENT_SIGNED, agreement=terms(amount=Decimal("-1")))
    assert "amount" in error.value.message_dict
    deal.refresh_from_db()
    assert deal.stage == Stage.NEGOTIATING
    assert not Agreement.objects.exists()
    assert not DealTransition.objects.filter(deal=deal, to_stage=Stage.AGREEMENT_SIGNED).exists()


def test_signing_without_details_or_without_an_institute_is_refused():
    deal = deal_at(Stage.NEGOTIATING)
    with pytest.raises(ValidationError):
        move(deal, Stage.AGREEMENT_SIGNED, agreement=None)
    no_institute = deal_at(Stage.NEGOTIATING, academic=False)
    with pytest.raises(ValidationError) as error:
        move(no_institute, Stage.AGREEMENT_SIGNED)
    assert "academic" in error.value.message_dict
    assert not Agreement.objects.exists()


def test_registering_records_the_contract_and_refuses_a_used_number():
    first = deal_at(Stage.AGREEMENT_SIGNED)
    move(
        first, Stage.CONTRACT_REGISTERED, registration=services.Registration("2023371600000123", Decimal("1"))
    )
    assert Agreement.objects.get(deal=first).registration_number == "2023371600000123"
    second = deal_at(Stage.AGREEMENT_SIGNED)
    with pytest.raises(ValidationError) as error:
        move(second, Stage.CONTRACT_REGISTERED, registration=services.Registration("2023371600000123", None))
    assert "registration_number" in error.value.message_dict
    second.refresh_from_db()
    assert second.stage == Stage.AGREEMENT_SIGNED


def test_a_move_made_against_an_old_version_is_refused_as_stale():
    deal = open_manual_deal()
    stale_view = Deal.objects.get(pk=deal.pk)
    move(deal, Stage.CONTACTED)
    with pytest.raises(services.StaleDeal) as error:
        move(stale_view, Stage.CONTACTED)
    assert "该商机已被他人更新，请刷新后重试" in " ".join(error.value.messages)
    assert isinstance(error.value, TransitionRefused)
    assert DealTransition.objects.filter(deal=deal).count() == 1


def test_adopting_a_suggested_result_fills_in_the_institute(demand, achievement, university):
    deal = services.open_deal(agent=make_agent(), demand=demand)
    match = services.MatchInfo(score=0.5, reasons=["同属铝基轻量化领域"], shared_terms=["铝合金"])
    adopted = services.adopt_match(user=deal.agent, deal=deal, achievement=achievement, match=match)
    assert (adopted.achievement, adopted.academic, adopted.match_reasons) == (
        achievement,
        university,
        ["同属铝基轻量化领域"],
    )
    with pytest.raises(ValidationError):
        services.adopt_match(user=deal.agent, deal=adopted, achievement=achievement, match=None)
