"""Listings through the partner API: what a key may read and write, and that writes wait for moderation."""

import json

import pytest
from wagtail.models import WorkflowState

from marketplace.listings import services as listing_services
from marketplace.listings.models import DemandPage
from tests.factories import demand_data, field
from tests.search.helpers import publish

from .conftest import make_partner

pytestmark = pytest.mark.django_db
DEMANDS = "/api/v1/listings/demands"


def _draft_demand(partner, **overrides) -> DemandPage:
    return listing_services.create_listing(user=partner.user, model=DemandPage,
                                           data=demand_data(partner.org, **overrides))


def _post(client, partner, url, body, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **partner.headers(), **extra)


def _patch(client, partner, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json", **partner.headers())


NEW_DEMAND = {"title": "铝合金电池托盘焊接工艺需求", "field": "aluminium", "county": "bincheng",
              "description": "需要搅拌摩擦焊工艺，焊缝强度不低于母材的80%。", "cooperation_modes": ["co_development"],
              "budget_min": "100000", "budget_max": "500000"}


def test_a_key_of_one_organization_cannot_read_anothers_draft(client, partner_a, partner_b):
    draft = _draft_demand(partner_b, title="乙公司尚未公开的需求")
    for url in (f"{DEMANDS}/{draft.pk}", f"/api/v1/listings/mine/{draft.pk}"):
        response = client.get(url, **partner_a.headers())
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert "乙公司尚未公开的需求" not in response.content.decode()
    mine = client.get("/api/v1/listings/mine", **partner_a.headers()).json()["results"]
    assert draft.pk not in [r["id"] for r in mine]
    # Its own organization reads it, with where it stands in moderation.
    own = client.get(f"/api/v1/listings/mine/{draft.pk}", **partner_b.headers())
    assert own.status_code == 200
    assert own.json()["title"] == "乙公司尚未公开的需求" and own.json()["status"] == "in_review"


def test_a_key_of_one_organization_cannot_write_anothers_listings(client, partner_a, partner_b):
    live = publish(partner_b.user, partner_b.org, DemandPage, title="乙公司的公开需求")
    draft = _draft_demand(partner_b, title="乙公司的草稿")
    refused = _patch(client, partner_a, f"{DEMANDS}/{live.pk}", {"title": "被甲改掉"})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    hidden = _patch(client, partner_a, f"{DEMANDS}/{draft.pk}", {"title": "被甲改掉"})
    assert hidden.status_code == 404 and hidden.json()["code"] == "not_found"
    for page in (live, draft):
        assert page.get_latest_revision_as_object().title != "被甲改掉"


def test_a_listing_created_through_the_api_waits_for_moderation(client, partner_a):
    response = _post(client, partner_a, DEMANDS, NEW_DEMAND)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "in_review" and body["kind"] == "demand"
    page = DemandPage.objects.get(pk=body["id"])
    assert not page.live and page.organization == partner_a.org
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert page.get_latest_revision().user == partner_a.user  # in the name of the key's maker
    # Not public until the bureau approves it.
    assert client.get(f"{DEMANDS}/{page.pk}", **partner_a.headers()).status_code == 404
    assert page.pk not in [r["id"] for r in client.get(DEMANDS, **partner_a.headers()).json()["results"]]


def test_an_edit_through_the_api_leaves_the_live_version_until_approved(client, partner_a):
    live = publish(partner_a.user, partner_a.org, DemandPage, title="甲公司原标题")
    response = _patch(client, partner_a, f"{DEMANDS}/{live.pk}", {"title": "甲公司新标题"})
    assert response.status_code == 200 and response.json()["status"] == "in_review"
    assert client.get(f"{DEMANDS}/{live.pk}", **partner_a.headers()).json()["title"] == "甲公司原标题"
    assert client.get(f"/api/v1/listings/mine/{live.pk}", **partner_a.headers()).json()["title"] == "甲公司新标题"


def test_public_lists_filter_and_search(client, partner_a, partner_b):
    publish(partner_a.user, partner_a.org, DemandPage, title="铝合金托盘需求", keywords="铝合金")
    publish(partner_b.user, partner_b.org, DemandPage, title="盐碱地改良需求", keywords="盐碱地",
            field=field("seed-industry"))
    found = client.get(DEMANDS, {"q": "盐碱地"}, **partner_a.headers()).json()
    assert [r["title"] for r in found["results"]] == ["盐碱地改良需求"] and found["count"] == 1
    by_field = client.get(DEMANDS, {"field": "aluminium"}, **partner_a.headers()).json()
    assert [r["title"] for r in by_field["results"]] == ["铝合金托盘需求"]
    assert client.get(DEMANDS, {"field": "no-such-field"}, **partner_a.headers()).json()["count"] == 0
    paged = client.get(DEMANDS, {"page_size": 1, "page": 2}, **partner_a.headers()).json()
    assert paged["count"] == 2 and len(paged["results"]) == 1
    too_big = client.get(DEMANDS, {"page_size": 101}, **partner_a.headers())
    assert too_big.status_code == 422 and too_big.json()["errors"][0]["field"] == "page_size"


def test_detail_answers_304_while_unchanged_and_200_after_a_change(client, partner_a):
    live = publish(partner_a.user, partner_a.org, DemandPage, title="铝合金托盘需求")
    url = f"{DEMANDS}/{live.pk}"
    first = client.get(url, **partner_a.headers())
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    again = client.get(url, HTTP_IF_NONE_MATCH=etag, **partner_a.headers())
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    from tests.search.helpers import edit_and_publish

    edit_and_publish(live, title="铝合金托盘需求（更新）")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag, **partner_a.headers())
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["title"] == "铝合金托盘需求（更新）"


@pytest.mark.parametrize(("body", "field"), [
    ({**NEW_DEMAND, "title": ""}, "title"),
    ({k: v for k, v in NEW_DEMAND.items() if k != "description"}, "description"),
    ({**NEW_DEMAND, "cooperation_modes": ["barter"]}, "cooperation_modes.0"),
    ({**NEW_DEMAND, "budget_min": "-1"}, "budget_min"),
    ({**NEW_DEMAND, "title": "含\u0000字符"}, "title"),
    ({**NEW_DEMAND, "surprise": 1}, "surprise"),
])
def test_a_malformed_field_is_a_422_naming_the_field(client, partner_a, body, field):
    response = _post(client, partner_a, DEMANDS, body)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not DemandPage.objects.filter(organization=partner_a.org).exists()


def test_the_listing_rules_answer_422_with_the_fields_message(client, partner_a):
    unknown = _post(client, partner_a, DEMANDS, {**NEW_DEMAND, "field": "no-such-field"})
    assert unknown.status_code == 422 and unknown.json()["code"] == "invalid_data"
    assert unknown.json()["errors"] == [{"field": "field", "message": "未知的产业领域。"}]
    upside_down = _post(client, partner_a, DEMANDS, {**NEW_DEMAND, "budget_min": "900000", "budget_max": "1"})
    assert upside_down.status_code == 422 and upside_down.json()["errors"][0]["field"] == "budget_max"
    assert not DemandPage.objects.filter(organization=partner_a.org).exists()  # nothing half-written


def test_bad_requests_get_a_code_and_both_languages(client, partner_a):
    broken = client.post(DEMANDS, "{not json", content_type="application/json", **partner_a.headers())
    assert broken.status_code == 400 and broken.json()["code"] == "bad_request"
    assert broken.json()["message"] and broken.json()["message_en"]
    huge = client.get(f"{DEMANDS}/99999999999999", **partner_a.headers())
    assert huge.status_code == 422 and huge.json()["code"] == "invalid_request"
    nobody = client.get(DEMANDS)
    assert nobody.status_code == 401 and nobody.json()["code"] == "unauthorized"
    assert nobody.json()["message_en"].startswith("A valid API key")


def test_a_read_only_key_cannot_write(client, site):
    reader = make_partner("只读伙伴", scopes=["read"])
    response = _post(client, reader, DEMANDS, NEW_DEMAND)
    assert response.status_code == 403 and response.json()["code"] == "scope_missing"


def test_a_repeated_post_with_the_same_idempotency_key_saves_once(client, partner_a):
    first = _post(client, partner_a, DEMANDS, NEW_DEMAND, HTTP_IDEMPOTENCY_KEY="sync-42")
    second = _post(client, partner_a, DEMANDS, NEW_DEMAND, HTTP_IDEMPOTENCY_KEY="sync-42")
    assert first.status_code == 201 and second.status_code == 409
    assert second.json()["code"] == "duplicate_submission"
    assert DemandPage.objects.filter(organization=partner_a.org).count() == 1


def test_a_key_whose_maker_left_the_organization_cannot_write(client, partner_a):
    partner_a.user.memberships.all().delete()
    response = _post(client, partner_a, DEMANDS, NEW_DEMAND)
    assert response.status_code == 403 and response.json()["code"] == "key_owner_inactive"


def test_the_older_match_endpoints_still_answer(client, partner_a):
    live = publish(partner_a.user, partner_a.org, DemandPage)
    assert client.get(f"/api/v1/demands/{live.pk}/matches").status_code == 200
    keyed = client.get(f"{DEMANDS}/{live.pk}/matches", {"top": 3}, **partner_a.headers())
    assert keyed.status_code == 200 and keyed.json()["listing"]["id"] == live.pk


def test_a_university_key_lists_a_result_with_its_patents_and_may_not_post_a_demand(client, site):
    from marketplace.listings.models import AchievementPage

    university = make_partner("滨州学院", kind="university")
    body = {"title": "高强韧铝合金压铸技术", "field": "aluminium", "summary": "一体化压铸，减重30%。", "trl": 6,
            "transfer_modes": ["license"], "price_negotiable": True,
            "ip_items": [{"ip_type": "invention_patent", "number": "ZL202110123456.7", "title": "一种铝合金"}]}
    created = _post(client, university, "/api/v1/listings/achievements", body)
    assert created.status_code == 201, created.content
    draft = AchievementPage.objects.get(pk=created.json()["id"]).get_latest_revision_as_object()
    assert [(i.ip_type, i.number) for i in draft.ip_items.all()] == [("invention_patent", "ZL202110123456.7")]
    refused = _post(client, university, DEMANDS, NEW_DEMAND)  # demands are enterprises' (ALLOWED_OWNER_KINDS)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "organization"
