"""The enterprise's first minutes (MISSION.md): it posts a demand and at once sees the best-matching
results with the reasons they match, before moderation has even published the demand."""

import uuid

import pytest

from marketplace.listings.models import AchievementPage, DemandPage
from tests.factories import county, field, make_org, make_user
from tests.search.helpers import publish

pytestmark = pytest.mark.django_db


def test_a_submitted_demand_shows_its_matches_in_the_owners_preview(
    site, client, enterprise_user, enterprise, django_capture_on_commit_callbacks
):
    uni_user = make_user("university")
    uni = make_org("university", name="山东大学", members=[uni_user])
    with django_capture_on_commit_callbacks(execute=True):
        publish(uni_user, uni, AchievementPage, title="高强韧铝合金电池托盘轻量化设计技术",
                keywords="铝合金,电池托盘,轻量化")
        publish(uni_user, uni, AchievementPage, title="盐碱地耐盐小麦育种技术", field=field("seed-industry"),
                keywords="盐碱地,育种", summary="耐盐小麦新品种选育。")

    client.force_login(enterprise_user)
    response = client.post("/my/listings/new/demand/", {
        "title": "铝合金电池托盘轻量化需求", "organization": enterprise.pk, "field": field("aluminium").pk,
        "county": county("zouping").pk, "keywords": "铝合金,电池托盘", "description": "电池托盘减重20%以上。",
        "budget_min": "100000", "budget_max": "900000", "cooperation_modes": ["license"],
        "form_token": uuid.uuid4().hex,
    }, follow=True)

    demand = DemandPage.objects.get()
    assert not demand.live, "still in moderation"
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/my/listings/{demand.pk}/preview/"
    assert "匹配的科技成果" in page
    assert "高强韧铝合金电池托盘轻量化设计技术" in page
    assert "共同关键词" in page and "铝合金" in page
    assert "盐碱地耐盐小麦育种技术" not in page


def test_a_stranger_sees_no_matches_for_an_unpublished_demand(site, client, enterprise_user, enterprise):
    from marketplace.listings import services
    from tests.factories import demand_data

    draft = services.create_listing(user=enterprise_user, model=DemandPage, data=demand_data(enterprise))
    client.force_login(make_user("enterprise"))
    assert client.get(f"/my/listings/{draft.pk}/preview/").status_code == 404
