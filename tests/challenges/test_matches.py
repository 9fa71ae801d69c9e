"""A challenge page shows matching results the way a demand page does (the same match list component):
the strong matches with their reasons, the weaker ones behind "显示更多较弱匹配", the owner's 不相关 / 已联系
buttons, and an agent's 发起商机 link prefilled with both sides. Run on both search engines."""

import pytest

from marketplace.listings.models import AchievementPage
from search import matching
from search.models import MatchFeedback
from tests.conftest import require_service
from tests.deals.builders import make_agent
from tests.search.conftest import drop_elasticsearch_indices, elasticsearch_status, use_elasticsearch
from tests.search.helpers import publish

from .builders import published_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["embedded", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def engine(request, settings, tmp_path):
    from search.backends import get_backend

    settings.SEARCH_BACKEND = "embedded"
    settings.SEARCH_EMBEDDED_PATH = tmp_path / "search-index"
    if request.param == "elasticsearch":
        available, reason = elasticsearch_status()
        require_service("Elasticsearch", available, reason)
        use_elasticsearch(settings)
    backend = get_backend()
    backend.reset()
    yield backend
    drop_elasticsearch_indices(backend)


@pytest.fixture
def challenge_and_result(engine, site, enterprise_user, enterprise, university_user, university,
                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        challenge = published_challenge(enterprise_user, enterprise)
        result = publish(university_user, university, AchievementPage,
                         title="一体化压铸件气孔缺陷真空辅助控制技术", keywords="一体化压铸,气孔,缺陷控制")
    return challenge, result


def test_a_challenge_page_lists_matching_results_with_reasons(client, challenge_and_result):
    challenge, result = challenge_and_result
    matches = matching.match_demand(challenge)
    assert [m.page.pk for m in matches] == [result.pk]
    assert any("共同关键词" in r and "压铸" in r for r in matches[0].reasons), "a shared specific term is a reason"
    html = client.get(challenge.url).content.decode()
    assert "匹配的科技成果" in html and result.title in html
    assert "条较好的匹配" in html, "the page says how many good matches there are"


def test_the_challenge_owner_marks_a_match_and_it_is_stored_for_the_pair(client, challenge_and_result,
                                                                         enterprise_user):
    challenge, result = challenge_and_result
    client.force_login(enterprise_user)
    assert 'name="verdict" value="irrelevant"' in client.get(challenge.url).content.decode()
    response = client.post("/search/feedback/", {"page": challenge.pk, "other": result.pk, "verdict": "irrelevant"})
    assert response.status_code == 302 and response["Location"] == challenge.url
    assert MatchFeedback.objects.filter(demand_id=challenge.pk, result_id=result.pk, verdict="irrelevant").exists()
    after = matching.match_demand(challenge)
    assert not after[0].strong, "a pair marked 不相关 is no longer shown first"
    assert "显示更多较弱匹配（1 条）" in client.get(challenge.url).content.decode()


def test_an_agent_opens_a_deal_from_a_challenge_match(client, challenge_and_result, enterprise):
    challenge, result = challenge_and_result
    client.force_login(make_agent())
    html = client.get(challenge.url).content.decode()
    assert "发起商机" in html
    assert f"enterprise={enterprise.pk}&amp;achievement={result.pk}" in html, "both sides are prefilled"
    form = client.get(f"/deals/new/?enterprise={enterprise.pk}&achievement={result.pk}")
    assert form.status_code == 200


def test_a_closed_challenge_shows_no_matches(client, challenge_and_result, enterprise_user,
                                             django_capture_on_commit_callbacks):
    from marketplace.challenges import services

    challenge, result = challenge_and_result
    with django_capture_on_commit_callbacks(execute=True):
        services.close_without_award(user=enterprise_user, challenge=challenge)
    assert "匹配的科技成果" not in client.get(challenge.url).content.decode()
