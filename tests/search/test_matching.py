"""Matching: demand → achievements, achievement → demands, demand → pilot bases, with reasons."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.listings import services as listing_services
from marketplace.listings.models import AchievementPage, DemandPage, PilotBasePage
from marketplace.taxonomy.models import County, IndustryField
from search import matching
from search.backends import Candidate
from search.models import SearchOutbox

from .helpers import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def listings(
    backend,
    site,
    university_user,
    university,
    enterprise_user,
    enterprise,
    django_capture_on_commit_callbacks,
):
    """An aluminium demand, a close aluminium result, a weaker aluminium result, an unrelated result."""
    seed = IndustryField.objects.get(slug="seed-industry")
    with django_capture_on_commit_callbacks(execute=True):
        pages = {
            "demand": publish(enterprise_user, enterprise, DemandPage),
            "close": publish(university_user, university, AchievementPage),
            "weaker": publish(
                university_user,
                university,
                AchievementPage,
                title="铝合金门窗型材表面处理技术",
                keywords="铝型材,表面处理",
                summary="铝型材阳极氧化与喷涂工艺优化。",
                trl=4,
                transfer_modes=["service"],
                price=Decimal("3000000"),
                county=County.objects.get(slug="wudi"),
            ),
            "unrelated": publish(
                university_user,
                university,
                AchievementPage,
                title="盐碱地耐盐水稻育种技术",
                keywords="育种,盐碱地",
                summary="耐盐碱水稻新品种选育与轻简化栽培技术。",
                field=seed,
                trl=8,
                transfer_modes=["assignment"],
            ),
        }
    return pages


def test_demand_matches_rank_by_relevance_and_explain_why(listings):
    matches = matching.match_demand(listings["demand"])
    order = [m.page.pk for m in matches]
    # The window-profile result shares only 铝合金 (TRL 4, over budget, far away): below the floor, so it
    # is not listed at all; the rice-breeding one shares nothing.
    assert order == [listings["close"].pk]
    close = matches[0]
    assert close.shared_terms[:2] == ["铝合金", "轻量化"], "the owners' keywords come first"
    assert "减重" in close.shared_terms  # both descriptions promise weight reduction
    assert close.reasons[0] == f"共同关键词：{'、'.join(close.shared_terms)}"
    assert "同一领域：铝基轻量化" in close.reasons
    county = listings["close"].county.name
    assert f"同在{county}" in close.reasons
    assert "成熟度TRL 6 可中试放大" in close.reasons
    assert "转化方式一致：合作开发" in close.reasons


def test_achievement_matches_list_the_demands_that_need_it(listings):
    matches = matching.match_achievement(listings["close"])
    assert [m.page.pk for m in matches] == [listings["demand"].pk]
    assert isinstance(matches[0].page, DemandPage)
    assert "预算覆盖报价" in matches[0].reasons
    assert matching.match_achievement(listings["unrelated"]) == []


def test_unpublished_listings_never_match_even_if_the_index_lags(listings, django_capture_on_commit_callbacks):
    # Withdraw without letting the outbox push run: the index still has the document.
    with django_capture_on_commit_callbacks(execute=False):
        listing_services.withdraw_listing(user=listings["close"].owner, page=listings["close"])
    order = [m.page.pk for m in matching.match_demand(listings["demand"])]
    assert listings["close"].pk not in order
    assert order == [], "the only other aluminium result is below the floor"
    assert SearchOutbox.objects.filter(page_id=listings["close"].pk, processed_at__isnull=True).exists()


def test_expired_demands_do_not_match(listings):
    DemandPage.objects.filter(pk=listings["demand"].pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    assert matching.match_achievement(listings["close"]) == []


def test_top_is_bounded(listings):
    assert matching.match_demand(listings["demand"], top=0) == []
    assert len(matching.match_demand(listings["demand"], top=1)) == 1
    assert len(matching.match_demand(listings["demand"], top=100_000)) == 1  # the others are below the floor
    assert matching.clamp_top(100_000) == matching.MAX_TOP


def test_pilot_bases_for_a_demand(listings, university_user, university, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        base = publish(university_user, university, PilotBasePage)
    matches = matching.match_pilot_bases(listings["demand"])
    assert [m.page.pk for m in matches] == [base.pk]
    assert "同一领域：铝基轻量化" in matches[0].reasons
    assert any(r.startswith("共同关键词：") and "铝合金" in r for r in matches[0].reasons)


# ---- the re-rank itself (pure function, no backend) ----------------------------------------------


def _source(**kw):
    base = {
        "id": 1,
        "type": "achievement",
        "title": "t",
        "title_text": "",
        "keywords_text": "",
        "body_text": "",
        "keywords": [],
        "field": "aluminium",
        "field_name": "铝基轻量化",
        "county": "",
        "trl": None,
        "transfer_modes": [],
        "price_fen": None,
        "price_negotiable": False,
        "budget_min_fen": None,
        "budget_max_fen": None,
        "industries": [],
        "published_at": None,
    }
    base.update(kw)
    return base


def test_rerank_uses_distance_between_counties(db):
    counties = {c.slug: c for c in County.objects.all()}
    demand = _source(id=100, type="demand", title_text="铝合金", county="bincheng")
    near = Candidate(id=1, score=1.0, source=_source(id=1, title_text="铝合金", county="eco-dev-zone"))
    far = Candidate(id=2, score=1.0, source=_source(id=2, title_text="铝合金", county="beihai"))
    ranked = matching.rank_candidates(demand, [far, near], counties)
    assert [r.id for r in ranked] == [1, 2]
    km = round(counties["bincheng"].distance_km(counties["eco-dev-zone"]))
    assert f"距离约{km}公里" in ranked[0].reasons


def test_rerank_budget_fit_is_exact_money(db):
    demand = _source(id=100, type="demand", title_text="铝合金", budget_max_fen=100_000_000)
    at_budget = Candidate(id=1, score=1.0, source=_source(id=1, title_text="铝合金", price_fen=100_000_000))
    one_fen_over = Candidate(id=2, score=1.0, source=_source(id=2, title_text="铝合金", price_fen=100_000_001))
    ranked = {r.id: r for r in matching.rank_candidates(demand, [at_budget, one_fen_over], {})}
    assert "预算覆盖报价" in ranked[1].reasons
    assert "预算覆盖报价" not in ranked[2].reasons
    assert ranked[1].score > ranked[2].score
