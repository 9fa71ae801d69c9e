"""The bulk path of import_listings --publish (importing.writer + listings.bulk): the pages it places are
sound tree nodes with live revisions, reach both Wagtail's page search and the site's search index once the
load ends, render at their URLs, and a re-import updates them instead of adding more. Records per second
are printed (measured, not asserted: bench/import_bench.py is the benchmark)."""

import json
import time

import pytest
from wagtail.models import Page, PageLogEntry, ReferenceIndex

from marketplace.listings.importing import import_listings
from marketplace.listings.models import AchievementIPItem, AchievementPage, DemandPage, PilotBasePage
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


def file_of_200() -> list[str]:
    """200 lines, types in turn (line n: achievement if n % 3 == 1, demand if n % 3 == 2, pilot base
    otherwise). Every achievement carries one IP item, every pilot base serves two industries. Four lines
    are special: 37 is broken JSON, 88 names an unknown field, 150 a USCC with a wrong check character,
    and 199 repeats line 4's external_id with a new title (an update of the page line 4 created)."""
    out = []
    for n in range(1, 201):
        kind = {1: "achievement", 2: "demand", 0: "pilot_base"}[n % 3]
        line = {"type": kind, "external_id": f"batch-{n}", "title": f"盐碱地改良与节水灌溉技术{n}号",
                "summary": "盐碱地土壤改良、滴灌节水与耐盐作物栽培。", "field": "智慧化工", "county": "滨城区"}
        if kind == "achievement":
            line.update(maturity="中试", transfer_modes="许可", price="80万",
                        ip_items=[{"type": "发明专利", "number": f"ZL2023{n:08d}.1", "title": "一种改良剂"}],
                        organization={"name": "滨州学院", "uscc": make_uscc(930001), "kind": "高校"})
        elif kind == "demand":
            line.update(budget_min=100000, budget_max=500000,
                        organization={"name": "滨州盐化企业", "uscc": make_uscc(930002), "kind": "企业"})
        else:
            line.update(industries=["智慧化工", "新材料"],
                        organization={"name": "滨城中试中心", "uscc": make_uscc(930003), "kind": "中试基地"})
        out.append(json.dumps(line, ensure_ascii=False))
    out[37 - 1] = '{"type": "demand", "external_id": "batch-37",'
    out[88 - 1] = out[88 - 1].replace('"field": "智慧化工"', '"field": "火星采矿"')
    wrong_check = make_uscc(930003)[:17] + ("0" if make_uscc(930003)[17] != "0" else "1")
    out[150 - 1] = out[150 - 1].replace(make_uscc(930003), wrong_check)
    line_4 = json.loads(out[4 - 1])
    out[199 - 1] = json.dumps({**line_4, "title": "盐碱地改良技术（修订）"}, ensure_ascii=False)
    return out


def test_a_200_line_file_is_placed_in_bulk_with_a_sound_tree_a_per_line_report_and_an_idempotent_reimport(
        client, site):
    lines = file_of_200()
    started = time.perf_counter()
    result = import_listings(lines, publish=True)
    seconds = time.perf_counter() - started
    print(f"\nimport_listings --publish: 200 lines in {seconds:.2f} s = {200 / seconds:.1f} records/s")

    # Per-line report: the three bad lines, each with its key; nothing else failed.
    assert result.failed_lines == [37, 88, 150]
    assert {(e.line, e.key) for e in result.errors} == {(37, ""), (88, "field"), (150, "organization.uscc")}
    # 67 achievement lines less 37, 88 (bad) and 199 (an update): 64; 67 demands; 66 pilot bases less 150.
    assert AchievementPage.objects.count() == 64
    assert DemandPage.objects.count() == 67
    assert PilotBasePage.objects.count() == 65
    assert len(result.created) == 196 and len(set(result.created)) == 196
    line_4_page = AchievementPage.objects.get(external_id="batch-4")
    assert result.updated == [line_4_page.pk], "line 199 updated the page line 4 created"
    assert line_4_page.title == "盐碱地改良技术（修订）"

    # Tree: treebeard's own check (paths, depths, numchild) finds nothing; URLs follow the parents'.
    assert all(problems == [] for problems in Page.find_problems()), Page.find_problems()
    for page in Page.objects.filter(pk__in=result.created).select_related("content_type")[:196]:
        parent = page.get_parent()
        assert page.url_path == f"{parent.url_path}{page.slug}/"
        assert page.live and page.live_revision_id == page.latest_revision_id
    # One "wagtail.publish" entry per new page, and one more for line 199's update of line 4's page.
    assert PageLogEntry.objects.filter(page_id__in=result.created, action="wagtail.publish").count() == 196 + 1
    # Children written with their pages: one IP item per achievement, two industries per pilot base.
    assert AchievementIPItem.objects.count() == 64
    assert PilotBasePage.industries.through.objects.count() == 65 * 2
    first = AchievementPage.objects.get(external_id="batch-1")
    assert [i.number for i in first.get_latest_revision_as_object().ip_items.all()] == ["ZL202300000001.1"]

    # Pages render at their URLs.
    for model in (AchievementPage, DemandPage, PilotBasePage):
        page = model.objects.order_by("pk").last()
        response = client.get(page.url)
        assert response.status_code == 200 and page.title in response.content.decode()

    # Re-import: the same pages are updated in place, nothing is added, nothing moves.
    before = {p.pk: (p.path, p.url_path, p.title) for p in Page.objects.filter(pk__in=result.created)}
    pages_before = Page.objects.count()
    again = import_listings(lines, publish=True)
    assert again.failed_lines == [37, 88, 150]
    assert again.created == [] and set(again.updated) == set(result.created)
    assert Page.objects.count() == pages_before
    assert {p.pk: (p.path, p.url_path, p.title) for p in Page.objects.filter(pk__in=result.created)} == before
    assert all(problems == [] for problems in Page.find_problems())
    assert AchievementIPItem.objects.count() == 64


def test_when_a_bulk_write_fails_its_batch_is_rolled_back_and_imported_line_by_line(site, monkeypatch):
    """A batch's write can fail (a page added under the same list at that moment takes the path it
    numbered): nothing of the batch stays, its lines are imported again one by one, and the catch-up
    still indexes them."""
    from django.db import IntegrityError

    import marketplace.listings.importing as importing

    real_write = importing.write_published
    calls = []

    def write_then_collide(items, *, user):
        calls.append(len(items))
        real_write(items, user=user)  # the rows are written, then the batch fails: all must roll back
        raise IntegrityError("duplicate key value violates unique constraint on path")

    monkeypatch.setattr(importing, "write_published", write_then_collide)
    result = import_listings(lines(6), publish=True)

    assert calls == [6], "one bulk write was tried for the batch"
    assert result.ok and len(result.created) == 6
    assert Page.objects.type(AchievementPage, DemandPage, PilotBasePage).count() == 6, "no rows of the failed write"
    assert all(problems == [] for problems in Page.find_problems())
    assert get_backend().count() == 6
    assert ReferenceIndex.objects.filter(object_id__in=[str(i) for i in result.created]).count() >= 6
