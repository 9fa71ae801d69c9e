"""manage.py match: the command the project's evaluation calls. Its output format is a contract."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from marketplace.listings import services as listing_services
from marketplace.listings.models import AchievementPage, DemandPage

from .helpers import publish

pytestmark = pytest.mark.django_db
HAS_EXTERNAL_ID = any(f.name == "external_id" for f in DemandPage._meta.get_fields())


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
    extra = {"external_id": "D-0001"} if HAS_EXTERNAL_ID else {}
    with django_capture_on_commit_callbacks(execute=True):
        return {
            "demand": publish(enterprise_user, enterprise, DemandPage, **extra),
            "aluminium": publish(
                university_user,
                university,
                AchievementPage,
                **({"external_id": "A-0042"} if HAS_EXTERNAL_ID else {}),
            ),
            "other": publish(
                university_user,
                university,
                AchievementPage,
                title="铝合金熔体在线净化技术",
                keywords="铝合金,熔体净化",
                summary="铝合金熔体除气除杂。",
            ),
        }


def run_match(*args) -> list[dict]:
    out = io.StringIO()
    call_command("match", *args, stdout=out)
    return json.loads(out.getvalue())


def test_match_by_page_id_prints_json(listings):
    rows = run_match("--demand-id", str(listings["demand"].pk), "--top", "5", "--format", "json")
    assert [r["title"] for r in rows][0] == listings["aluminium"].title
    assert len(rows) == 2
    # The documented keys stay; fields may be added (never removed or renamed).
    assert {"external_id", "title", "score", "reasons"} <= set(rows[0])
    assert isinstance(rows[0]["strong"], bool) and isinstance(rows[0]["concepts"], list)
    assert rows[0]["score"] >= rows[1]["score"]
    assert any(reason.startswith("共同关键词：") for reason in rows[0]["reasons"])


@pytest.mark.skipif(not HAS_EXTERNAL_ID, reason="listing pages have no external_id yet")
def test_match_by_external_id(listings):
    rows = run_match("--demand", "D-0001", "--top", "1", "--format", "json")
    assert rows == [
        {
            "external_id": "A-0042",
            "title": listings["aluminium"].title,
            "score": rows[0]["score"],
            "reasons": rows[0]["reasons"],
            "strong": True,  # the best match always clears the cut-off relative to itself
            "shared_terms": rows[0]["shared_terms"],
            "concepts": rows[0]["concepts"],
        }
    ]


def test_match_top_zero_is_empty_and_unknown_demands_are_errors(listings, enterprise_user):
    assert run_match("--demand-id", str(listings["demand"].pk), "--top", "0") == []
    with pytest.raises(CommandError, match="No published demand"):
        run_match("--demand-id", "999999")
    with pytest.raises(CommandError, match="No published demand"):
        run_match("--demand-id", str(listings["aluminium"].pk))  # not a demand
    listing_services.withdraw_listing(user=enterprise_user, page=listings["demand"])
    with pytest.raises(CommandError, match="No published demand"):
        run_match("--demand-id", str(listings["demand"].pk))


def test_match_text_format(listings):
    out = io.StringIO()
    call_command("match", "--demand-id", str(listings["demand"].pk), "--format", "text", stdout=out)
    assert out.getvalue().startswith(f"1. {listings['aluminium'].title}")
