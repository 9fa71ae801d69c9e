"""Query counts of the public list and detail pages: an N+1 makes a page's count grow with what it lists.

Each page is rendered with a small world and again after more listings, events and news are published;
the count must not change (so nothing is fetched per row), and stays under a ceiling worked out from what
the page shows (see each row). bench/web_bench.py measures the same pages under load."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import NewsPage
from marketplace.events.models import EventPage
from marketplace.listings.models import AchievementPage, DemandPage, PilotBasePage
from search import services as search_services
from tests.cms.builders import publish_listing, publish_news
from tests.events.builders import make_event
from tests.factories import achievement_data, county, demand_data, field, make_org, pilot_base_data

pytestmark = pytest.mark.django_db


def _add_world(n: int) -> None:
    """n of each listing type (in one field and county, so the filtered lists show them), n events, n news."""
    university, enterprise, base = make_org("university"), make_org("enterprise"), make_org("pilot_base_operator")
    for i in range(n):
        publish_listing(AchievementPage, achievement_data(university, title=f"铝合金一体化压铸成果{i}",
                                                          county=county("zouping")))
        publish_listing(DemandPage, demand_data(enterprise, title=f"铝合金压铸需求{i}", county=county("zouping")))
        publish_listing(PilotBasePage, pilot_base_data(base, title=f"铝合金中试基地{i}", county=county("zouping")))
        make_event()
        publish_news(title=f"新闻{i}", body="<p>正文</p>")
    search_services.reindex_all()


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def _pages() -> dict[str, str]:
    demand = DemandPage.objects.live().first()
    achievement = AchievementPage.objects.live().first()
    filters = "?field=aluminium&county=zouping"
    return {
        "home": "/",
        "achievements list": f"/achievements/{filters}",
        "demands list": f"/demands/{filters}",
        "pilot bases list": f"/pilot-bases/{filters}",
        "search": "/search/?q=铝合金",
        "demand with matches": demand.url,
        "achievement with matches": achievement.url,
        "pilot base": PilotBasePage.objects.live().first().url,
        "events list": "/events/",
        "event": EventPage.objects.live().first().url,
        "news list": "/news/",
        "news": NewsPage.objects.live().first().url,
        "match API": f"/api/v1/demands/{demand.pk}/matches",
    }


# Ceilings: the count measured on PostgreSQL with the small world (tests/perf, December 2026) plus 2, so a
# new per-page lookup is allowed but a per-row one is not (the "does not grow" check catches those first).
# Most of each count is Wagtail's own: the site and page route, one view-restriction check per .public().
CEILINGS = {
    "home": 36,  # + 3 latest lists with their counts, badges in one query, 5 news, 5 policies, events, targets
    "achievements list": 20,  # + the page of results, its count, badges in one query, fields and counties
    "demands list": 19,
    "pilot bases list": 19,
    "search": 18,
    "demand with matches": 26,  # + matched achievements loaded in one query
    "achievement with matches": 24,
    "pilot base": 19,
    "events list": 15,
    "event": 18,
    "news list": 15,
    "news": 14,
    "match API": 10,
}


def test_no_public_page_fetches_per_row_and_each_stays_under_its_ceiling(site, client):
    field("aluminium")
    _add_world(2)
    small = {name: _count(client, url) for name, url in _pages().items()}
    _add_world(4)  # three times as many listings, events and news on every list
    large = {name: _count(client, url) for name, url in _pages().items()}
    grown = {name: (small[name], large[name]) for name in small if large[name] > small[name]}
    assert not grown, f"these pages run a query per row (queries with 2 items, with 6): {grown}"
    over = {name: (large[name], CEILINGS[name]) for name in large if large[name] > CEILINGS[name]}
    assert not over, f"these pages run more queries than their ceiling (count, ceiling): {over}"
    assert set(small) == set(CEILINGS)


# A repeated request finds the public fragments, match rankings, search results, navigation, route and the
# list of restricted pages in the shared cache (marketplace.core.cache): what remains is Wagtail's site and
# view-restriction checks of the served page, the session-free header (site contact), and per-request reads
# (each match list's "still public" check and its feedback).
WARM_CEILINGS = {
    "home": 8,
    "achievements list": 9,
    "demands list": 9,
    "pilot bases list": 9,
    "search": 7,
    "demand with matches": 17,
    "achievement with matches": 17,
    "match API": 6,  # its ranking is the demand page's (same cache entry), so it is warm already when asked
}


def test_a_repeated_request_is_served_mostly_from_the_shared_cache(site, client):
    field("aluminium")
    _add_world(3)
    pages = {name: url for name, url in _pages().items() if name in WARM_CEILINGS}
    cold = {name: _count(client, url) for name, url in pages.items()}
    warm = {name: _count(client, url) for name, url in pages.items()}
    over = {name: (cold[name], warm[name], WARM_CEILINGS[name]) for name in pages
            if warm[name] > WARM_CEILINGS[name] or (warm[name] >= cold[name] and name != "match API")}
    assert not over, f"repeated requests not served from the cache (cold, warm, ceiling): {over}"
