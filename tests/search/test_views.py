"""The search page, the matches API and the match lists on listing pages, as a visitor sees them."""

import pytest
from django.template.loader import render_to_string

from marketplace.listings import services as listing_services
from marketplace.listings.models import AchievementPage, DemandPage, PilotBasePage
from marketplace.taxonomy.models import County, IndustryField

from .helpers import publish

pytestmark = pytest.mark.django_db
UNAVAILABLE = "搜索服务暂时不可用，请稍后再试"


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
    seed = IndustryField.objects.get(slug="seed-industry")
    zouping = County.objects.get(slug="zouping")
    with django_capture_on_commit_callbacks(execute=True):
        pages = {
            "demand": publish(enterprise_user, enterprise, DemandPage),
            "aluminium": publish(university_user, university, AchievementPage),
            "zouping": publish(
                university_user,
                university,
                AchievementPage,
                title="铝合金熔体在线净化技术",
                keywords="铝合金,熔体净化",
                summary="铝合金熔体除气除杂。",
                county=zouping,
            ),
            "rice": publish(
                university_user,
                university,
                AchievementPage,
                title="盐碱地耐盐水稻育种技术",
                keywords="育种,盐碱地",
                summary="耐盐碱水稻新品种选育。",
                field=seed,
                trl=8,
            ),
            "base": publish(university_user, university, PilotBasePage),
        }
    return pages


def test_search_page_shows_highlighted_results_and_facets(client, listings):
    response = client.get("/search/", {"q": "铝合金"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "高强韧<mark>铝合金</mark>轻量化车身结构件制备技术" in html
    assert "铝合金熔体在线净化技术" not in html or "<mark>铝合金</mark>熔体在线净化技术" in html
    assert "盐碱地耐盐水稻育种技术" not in html
    results = response.context["results"]
    assert results.total == 4  # two achievements, the demand and the pilot base mention 铝合金
    facets = {name: {v.value: v.count for v in values} for name, _, _, values in results.facets}
    assert facets["type"] == {"achievement": 2, "demand": 1, "pilot_base": 1}
    assert facets["county"] == {listings["aluminium"].county.slug: 3, "zouping": 1}
    assert 'data-facet="county" data-value="zouping"' in html


def test_facet_filters_and_sorting(client, listings):
    response = client.get("/search/", {"q": "铝合金", "county": "zouping"})
    assert [r.page.pk for r in response.context["results"].rows] == [listings["zouping"].pk]
    response = client.get("/search/", {"type": "achievement", "sort": "trl"})
    assert [r.page.pk for r in response.context["results"].rows][0] == listings["rice"].pk  # TRL 8 first
    response = client.get("/search/", {"q": "铝合金", "type": "achievement", "mode": "co_development"})
    assert {r.page.pk for r in response.context["results"].rows} == {
        listings["aluminium"].pk,
        listings["zouping"].pk,
    }


def test_pagination(client, listings, university_user, university, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(10):
            publish(university_user, university, AchievementPage, title=f"铝合金挤压成果{n}")
    first = client.get("/search/", {"q": "铝合金", "type": "achievement"})
    second = client.get("/search/", {"q": "铝合金", "type": "achievement", "page": 2})
    assert first.context["results"].total == 12 and first.context["results"].num_pages == 2
    assert len(first.context["results"].rows) == 10 and len(second.context["results"].rows) == 2
    assert not {r.page.pk for r in first.context["results"].rows} & {r.page.pk for r in second.context["results"].rows}
    assert 'rel="next"' in first.content.decode() and "page=2" in first.content.decode()


@pytest.mark.parametrize(
    "params, status",
    [
        ({}, 200),
        ({"q": ""}, 200),
        ({"q": "铝" * 2000}, 400),
        ({"q": '"(铝合金 AND) OR ~* title:/x/ \\'}, 200),
        ({"q": "铝合金", "county": "atlantis"}, 400),
        ({"q": "铝合金", "page": "abc"}, 400),
        ({"q": "铝合金", "page": "100000"}, 400),
        ({"q": "铝合金", "sort": "drop table"}, 400),
    ],
)
def test_bad_input_gets_a_clear_answer_not_a_500(client, backend, site, params, status):
    response = client.get("/search/", params)
    assert response.status_code == status
    if status == 400:
        assert "搜索条件有误" in response.content.decode()
    if params.get("q") == "":
        assert response.context.get("results") is None
        assert "请输入关键词" in response.content.decode()


def test_search_down_shows_a_friendly_message(client, site, dead_elasticsearch):
    response = client.get("/search/", {"q": "铝合金"})
    assert response.status_code == 503
    assert UNAVAILABLE in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_matches_api(client, listings):
    demand = listings["demand"]
    response = client.get(f"/api/v1/demands/{demand.pk}/matches", {"top": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["demand"]["id"] == demand.pk and body["demand"]["title"] == demand.title
    ids = [m["id"] for m in body["matches"]]
    assert ids[0] == listings["aluminium"].pk and listings["rice"].pk not in ids
    first = body["matches"][0]
    assert set(first) == {"id", "title", "url", "score", "reasons"}
    assert first["url"] == listings["aluminium"].url
    assert any("铝合金" in r for r in first["reasons"])
    assert len(client.get(f"/api/v1/demands/{demand.pk}/matches", {"top": 1}).json()["matches"]) == 1


@pytest.mark.parametrize("top", ["0", "100000", "-3", "abc"])
def test_matches_api_rejects_bad_top(client, listings, top):
    response = client.get(f"/api/v1/demands/{listings['demand'].pk}/matches", {"top": top})
    assert response.status_code == 400
    assert "top" in response.json()["error"]


def test_matches_api_404_for_missing_unpublished_or_wrong_type(client, listings, enterprise_user):
    assert client.get("/api/v1/demands/999999/matches").status_code == 404
    assert client.get(f"/api/v1/demands/{listings['aluminium'].pk}/matches").status_code == 404
    listing_services.withdraw_listing(user=enterprise_user, page=listings["demand"])
    response = client.get(f"/api/v1/demands/{listings['demand'].pk}/matches")
    assert response.status_code == 404
    assert "error" in response.json()


def test_matches_api_503_when_search_is_down(client, listings, dead_elasticsearch):
    response = client.get(f"/api/v1/demands/{listings['demand'].pk}/matches")
    assert response.status_code == 503
    assert response.json()["error"] == UNAVAILABLE


def test_listing_pages_show_their_matches(client, listings):
    demand_html = client.get(listings["demand"].url).content.decode()
    assert "匹配的科技成果" in demand_html
    assert listings["aluminium"].title in demand_html
    assert "同一领域：铝基轻量化" in demand_html
    assert "可对接的中试基地" in demand_html and listings["base"].title in demand_html

    achievement_html = client.get(listings["aluminium"].url).content.decode()
    assert "需要此成果的企业" in achievement_html
    assert listings["demand"].title in achievement_html
    assert "预算覆盖报价" in achievement_html


def test_match_lists_degrade_gracefully_when_search_is_down(listings, settings, dead_elasticsearch):
    html = render_to_string("search/demand_matches.html", {"page": listings["demand"]})
    assert UNAVAILABLE in html
    assert render_to_string("search/demand_matches.html", {"page": None}).strip() == ""
