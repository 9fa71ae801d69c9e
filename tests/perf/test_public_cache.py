"""The public pages' shared cache (marketplace.core.cache): what is cached is never seen stale after a
publish, an unpublish, a delete or a new revision; the language is part of every key; nothing per user is
shared. The cache is the real one of the run (Redis under services/run_tests.sh, one key prefix per test)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.listings.models import AchievementPage, DemandPage
from search import services as search_services
from tests.cms.builders import publish_listing
from tests.factories import achievement_data, demand_data, field, make_org

pytestmark = pytest.mark.django_db

LIST = "/achievements/"


def _html(client, url: str, language: str = "zh-hans") -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    return len(queries)


def test_the_list_and_home_fragments_are_shared_until_something_is_published(site, client):
    university = make_org("university")
    first = publish_listing(AchievementPage, achievement_data(university, title="铝合金车身成果"))
    cold_list, cold_home = _queries(client, LIST), _queries(client, "/")
    # Renamed behind the site's back (no revision, no signal): the cached fragments still show the old title,
    # which is what shows that they are cached ...
    AchievementPage.objects.filter(pk=first.pk).update(title="改名但未发布的标题")
    assert "铝合金车身成果" in _html(client, LIST)
    assert "铝合金车身成果" in _html(client, "/")
    assert _queries(client, LIST) < cold_list and _queries(client, "/") < cold_home
    # ... and a publish (of anything) retires every fragment: the next request sees the database.
    publish_listing(AchievementPage, achievement_data(university, title="镁合金压铸新成果"))
    for url in (LIST, "/"):
        html = _html(client, url)
        assert "镁合金压铸新成果" in html and "改名但未发布的标题" in html, url


def test_an_unpublished_or_deleted_listing_leaves_the_list_and_home_at_once(site, client):
    university = make_org("university")
    kept = publish_listing(AchievementPage, achievement_data(university, title="保留的成果"))
    withdrawn = publish_listing(AchievementPage, achievement_data(university, title="将撤回的成果"))
    deleted = publish_listing(AchievementPage, achievement_data(university, title="将删除的成果"))
    for url in (LIST, "/"):
        assert "将撤回的成果" in _html(client, url) and "将删除的成果" in _html(client, url)

    withdrawn.unpublish()
    for url in (LIST, "/"):
        html = _html(client, url)
        assert "将撤回的成果" not in html and "将删除的成果" in html, url

    deleted.delete()
    for url in (LIST, "/"):
        html = _html(client, url)
        assert "将删除的成果" not in html and kept.title in html, url


def test_the_english_page_never_gets_the_chinese_fragment(site, client):
    publish_listing(AchievementPage, achievement_data(make_org("university")))
    # Chinese first fills the cache; English must still be English (and the other way round).
    assert "最新科技成果" in _html(client, "/", "zh-hans")
    english = _html(client, "/", "en")
    assert "Latest research results" in english and "最新科技成果" not in english
    assert "最新科技成果" in _html(client, "/", "zh-hans")
    zh_list, en_list = _html(client, LIST, "zh-hans"), _html(client, LIST, "en")
    assert "没有符合条件的信息" not in zh_list and "共 1 条" in zh_list
    assert "共 1 条" not in en_list


def test_owner_controls_are_not_shared_through_the_fragment(site, client, enterprise_user):
    publish_listing(AchievementPage, achievement_data(make_org("university")))
    assert "发布科技成果" not in _html(client, LIST)  # a visitor gets no publish button
    client.force_login(enterprise_user)
    assert "发布科技成果" in _html(client, LIST)  # a member does, on the same cached fragment
    client.logout()
    assert "发布科技成果" not in _html(client, LIST)


def test_a_new_revision_of_a_demand_recomputes_its_matches(site, client):
    university, enterprise = make_org("university"), make_org("enterprise")
    publish_listing(AchievementPage, achievement_data(university, title="高强韧铝合金车身结构件技术"))
    publish_listing(AchievementPage, achievement_data(
        university, title="印染废水深度处理与回用技术", field=field("eco-environment"), keywords="印染,废水,回用",
        summary="印染废水膜处理与中水回用成套技术，回用率70%。"))
    demand = publish_listing(DemandPage, demand_data(enterprise))
    search_services.reindex_all()

    def matches_section() -> str:
        html = _html(client, DemandPage.objects.get(pk=demand.pk).url)
        return html[html.index("匹配的科技成果"):]

    assert "高强韧铝合金车身结构件技术" in matches_section()
    assert "印染废水深度处理与回用技术" not in matches_section()

    # Same revision, text changed behind the site's back: the ranking of that revision is reused.
    textile = {"title": "印染企业废水回用需求", "keywords": "印染,废水,回用",
               "description": "印染废水处理后回用于生产，需要膜处理与中水回用技术。"}
    DemandPage.objects.filter(pk=demand.pk).update(**textile)
    assert "印染废水深度处理与回用技术" not in matches_section()

    # A new revision (published) is matched afresh, from its own text.
    page = DemandPage.objects.get(pk=demand.pk)
    page.field = field("eco-environment")
    page.save_revision().publish()
    assert "印染废水深度处理与回用技术" in matches_section()


def test_a_published_event_is_on_the_events_page_at_once(site, client):
    from tests.events.builders import make_event

    first = make_event(title="铝基新材料对接会")
    url = first.get_parent().url
    html = _html(client, url)
    assert "铝基新材料对接会" in html and "海洋装备路演" not in html
    make_event(title="海洋装备路演")
    assert "海洋装备路演" in _html(client, url)


def test_visitors_share_the_match_list_but_its_owner_gets_the_controls_and_a_mark_shows_at_once(
        site, client, enterprise_user):
    enterprise = make_org("enterprise", members=[enterprise_user])
    result = publish_listing(AchievementPage, achievement_data(make_org("university"),
                                                               title="高强韧铝合金车身结构件技术"))
    demand = publish_listing(DemandPage, demand_data(enterprise))
    search_services.reindex_all()
    visitor_html = _html(client, demand.url)
    assert result.title in visitor_html and 'name="verdict"' not in visitor_html
    assert "显示更多较弱匹配" not in visitor_html

    client.force_login(enterprise_user)  # the owner: the same list, with the marking forms
    assert 'name="verdict"' in _html(client, demand.url)
    response = client.post("/search/feedback/", {"page": demand.pk, "other": result.pk, "verdict": "irrelevant"})
    assert response.status_code == 302
    client.logout()

    # Visitors see the marked match moved behind the toggle at once, and still no controls.
    visitor_html = _html(client, demand.url)
    assert "显示更多较弱匹配（1 条）" in visitor_html and 'name="verdict"' not in visitor_html
