"""Deals that have only a demand get result suggestions from the real match engine
(search.matching.match_demand over the embedded on-disk index), and a deal opened from a match keeps
the engine's reasons."""

import uuid

import pytest

from marketplace.deals import selectors, services
from marketplace.deals.models import DealOrigin
from marketplace.listings.models import AchievementPage, DemandPage
from tests.factories import achievement_data, demand_data, field, make_org

from .builders import make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def search_index(settings, tmp_path):
    settings.SEARCH_BACKEND = "embedded"
    settings.SEARCH_EMBEDDED_PATH = tmp_path / "search-index"
    from search.services import reindex_all

    return reindex_all


def _publish(model, data):
    """A listing as it is after the bureau approved it: live."""
    from marketplace.listings.services import INDEX_FOR

    page = model(slug=f"{model.__name__.lower()}-{uuid.uuid4().hex[:8]}", **data)
    INDEX_FOR[model].objects.first().add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def listings(site, enterprise, university, search_index):
    demand = _publish(DemandPage, demand_data(enterprise))
    fitting = _publish(AchievementPage, achievement_data(university))
    unrelated = _publish(
        AchievementPage,
        achievement_data(
            make_org("institute"),
            title="盐碱地耐盐小麦新品种选育",
            keywords="小麦,耐盐,育种",
            summary="选育耐盐碱小麦新品种，适宜滨海盐碱地种植。",
            field=field("seed-industry"),
            transfer_modes=["license"],
        ),
    )
    search_index()
    return demand, fitting, unrelated


def test_a_demand_only_deal_is_offered_the_matching_results(client, listings):
    demand, fitting, unrelated = listings
    agent = make_agent()
    deal = services.open_deal(agent=agent, demand=demand)
    suggestions = selectors.suggested_matches(deal, top=5)
    assert suggestions, "the match engine found nothing for an obviously matching result"
    assert suggestions[0].page.pk == fitting.pk
    assert suggestions[0].reasons
    client.force_login(agent)
    board = client.get("/deals/").content.decode()
    assert fitting.title in board.split(f'data-deal="{deal.pk}"')[1].split("</article>")[0]
    detail = client.get(f"/deals/{deal.pk}/").content.decode()
    assert f"/deals/{deal.pk}/adopt/{fitting.pk}/" in detail
    response = client.post(f"/deals/{deal.pk}/adopt/{fitting.pk}/")
    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.achievement_id == fitting.pk and deal.academic == fitting.organization
    assert deal.match_reasons == suggestions[0].reasons


def test_a_deal_opened_from_a_match_stores_the_engines_reasons(client, listings):
    demand, fitting, _unrelated = listings
    agent = make_agent()
    client.force_login(agent)
    response = client.post(
        f"/deals/new/?demand={demand.pk}&achievement={fitting.pk}",
        {"demand": demand.pk, "achievement": fitting.pk},
    )
    assert response.status_code == 302
    deal = agent.deals.get()
    expected = selectors.find_match(demand, fitting.pk)
    assert deal.origin == DealOrigin.MATCH
    assert deal.match_reasons == expected.reasons and deal.match_reasons
    assert deal.match_score == pytest.approx(expected.score)
    assert deal.match_reasons[0] in client.get("/deals/").content.decode()
