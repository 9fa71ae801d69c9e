"""The bulk path of import_listings --publish (listings.bulk): the pages it places are sound tree nodes
with live revisions, reach both Wagtail's page search and the site's search index once the load ends, and a
re-import updates them instead of adding more. Records per second are printed (measured, not asserted:
bench/import_bench.py is the benchmark)."""

import json
import time

import pytest
from wagtail.models import Page, ReferenceIndex

from marketplace.listings.importing import import_listings
from marketplace.listings.models import AchievementPage, DemandPage, PilotBasePage
from search.backends import get_backend
from search.models import SearchOutbox
from tests.factories import make_uscc

pytestmark = pytest.mark.django_db

N = 12


def lines(n: int = N) -> list[str]:
    out = []
    for i in range(n):
        kind = ("achievement", "demand", "pilot_base")[i % 3]
        line = {"type": kind, "external_id": f"speed-{i}", "title": f"铝合金轻量化压铸技术{i}号",
                "summary": "一体化压铸与搅拌摩擦焊工艺，车身减重。", "field": "铝基轻量化", "county": "邹平市",
                "keywords": ["铝合金", "轻量化"]}
        if kind == "achievement":
            line.update(maturity=6, transfer_modes=["许可"], price=500000,
                        organization={"name": "滨州学院", "uscc": make_uscc(920001), "kind": "高校"})
        elif kind == "demand":
            line.update(budget_max=900000,
                        organization={"name": "滨州宏拓轻合金", "uscc": make_uscc(920002), "kind": "企业"})
        else:
            line.update(organization={"name": "邹平中试中心", "uscc": make_uscc(920003),
                                      "kind": "pilot_base_operator"})
        out.append(json.dumps(line, ensure_ascii=False))
    return out


def test_bulk_published_pages_are_sound_live_searchable_and_reimport_is_idempotent(site):
    started = time.perf_counter()
    result = import_listings(lines(), publish=True)
    seconds = time.perf_counter() - started
    print(f"\nimport_listings --publish: {N} records in {seconds:.2f} s = {N / seconds:.1f} records/s")
    assert result.ok and len(result.created) == N

    # Tree: no bad paths, depths or child counts (treebeard's own consistency check).
    assert all(problems == [] for problems in Page.find_problems()), Page.find_problems()
    pages = list(Page.objects.filter(pk__in=result.created).specific())
    assert {type(p) for p in pages} == {AchievementPage, DemandPage, PilotBasePage}
    for page in pages:
        assert page.live and page.live_revision_id == page.latest_revision_id, f"{page} has its live revision"
        assert page.get_parent().numchild == page.get_parent().get_children().count()

    # Deferred side effects caught up: nothing pending, every page in the site's index and Wagtail's.
    assert not SearchOutbox.objects.filter(processed_at__isnull=True).exists()
    assert get_backend().count() == N
    assert get_backend().search("轻量化").total == N
    assert Page.objects.live().search("铝合金轻量化压铸技术7号").count() >= 1, "Wagtail's page search finds it"
    assert ReferenceIndex.objects.filter(object_id__in=[str(i) for i in result.created]).exists(), \
        "the reference index was written (pages refer to their field, county and organization)"

    again = import_listings(lines(), publish=True)
    assert again.ok and again.created == [] and sorted(again.updated) == sorted(result.created)
    assert Page.objects.type(AchievementPage, DemandPage, PilotBasePage).count() == N
    assert all(problems == [] for problems in Page.find_problems())
    assert get_backend().count() == N
