"""Outcomes feed back: the listing's owner marks a match 不相关 / 已联系 on the page, an agent opens a deal
from a match with both sides prefilled, and the ranking reads what was recorded."""

import pytest
from django.contrib.auth.models import AnonymousUser

from marketplace.listings.models import AchievementPage, DemandPage
from search import matching
from search.models import MatchFeedback
from tests.deals.builders import make_agent

from .helpers import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(backend, site, university_user, university, enterprise_user, enterprise, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demand = publish(enterprise_user, enterprise, DemandPage)
        result = publish(university_user, university, AchievementPage)
    return demand, result


def test_the_owner_marks_a_match_not_relevant_and_it_is_demoted(client, pair, enterprise_user):
    demand, result = pair
    assert [m.page.pk for m in matching.match_demand(demand)] == [result.pk]
    client.force_login(enterprise_user)
    page = client.get(demand.url).content.decode()
    assert 'name="verdict" value="irrelevant"' in page, "the owner sees the marking buttons"
    response = client.post("/search/feedback/", {"page": demand.pk, "other": result.pk, "verdict": "irrelevant"})
    assert response.status_code == 302 and response["Location"] == demand.url
    assert MatchFeedback.objects.filter(demand_id=demand.pk, result_id=result.pk, verdict="irrelevant").exists()
    # Its score halves and it is no longer shown first: it waits behind "显示更多较弱匹配".
    after = matching.match_demand(demand)
    assert [m.page.pk for m in after] == [result.pk]
    assert not after[0].strong
    html = client.get(demand.url).content.decode()
    assert "0 条较好的匹配" in html and "显示更多较弱匹配（1 条）" in html


def test_contacted_is_shown_as_a_reason_and_replaces_not_relevant(client, pair, enterprise_user):
    demand, result = pair
    client.force_login(enterprise_user)
    client.post("/search/feedback/", {"page": demand.pk, "other": result.pk, "verdict": "irrelevant"})
    client.post("/search/feedback/", {"page": demand.pk, "other": result.pk, "verdict": "contacted"})
    assert list(MatchFeedback.objects.values_list("verdict", flat=True)) == ["contacted"]
    assert matching.match_demand(demand)[0].outcomes == ["已联系"]


def test_only_the_owner_may_mark_and_bad_input_is_a_400(client, pair, university_user):
    demand, result = pair
    client.force_login(university_user)  # owns the result, not the demand
    assert client.post("/search/feedback/", {"page": demand.pk, "other": result.pk,
                                             "verdict": "irrelevant"}).status_code == 403
    assert client.post("/search/feedback/", {"page": demand.pk, "other": result.pk,
                                             "verdict": "maybe"}).status_code == 400
    assert client.post("/search/feedback/", {"page": demand.pk, "other": demand.pk,
                                             "verdict": "contacted"}).status_code == 400
    assert not MatchFeedback.objects.exists()


def test_an_agent_opens_a_deal_from_a_match_and_the_pair_is_recorded(client, pair):
    demand, result = pair
    agent = make_agent()
    client.force_login(agent)
    link = f"/deals/new/?demand={demand.pk}&amp;achievement={result.pk}"
    assert link in client.get(demand.url).content.decode(), "发起商机 on the demand page"
    assert link in client.get(result.url).content.decode(), "and on the achievement page"
    response = client.post(link.replace("&amp;", "&"), {"demand": demand.pk, "achievement": result.pk})
    assert response.status_code == 302
    assert MatchFeedback.objects.filter(demand_id=demand.pk, result_id=result.pk, verdict="deal").exists()
    assert matching.match_demand(demand)[0].outcomes == ["已发起商机"]


def test_the_page_counts_good_matches_and_keeps_weaker_ones_behind_a_toggle(client, pair, rf):
    from django.template.loader import render_to_string

    from search.templatetags.search_tags import _matches_context

    demand, result = pair
    html = client.get(demand.url).content.decode()
    assert "1 条较好的匹配" in html and "显示更多较弱匹配" not in html
    strong = matching.Match(page=result, score=0.8, reasons=["r"], strong=True)
    weak = matching.Match(page=result, score=0.36, reasons=["w"], strong=False)
    request = rf.get("/")
    request.user = AnonymousUser()
    found = matching.Matches([strong, weak])
    context = _matches_context({"request": request}, demand, lambda page, top: found, "h", "e", 10)
    html = render_to_string("search/_match_list.html", context)
    assert "1 条较好的匹配" in html
    assert "显示更多较弱匹配（1 条）" in html
    assert html.index("<details") < html.index(">w<"), "the weaker match sits inside the toggle"
    assert 'start="2"' in html, "numbering continues after the strong ones"
