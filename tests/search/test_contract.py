"""The search contract. Every test runs against BOTH backends (embedded tantivy and the real
Elasticsearch node): same documents in, same behaviour out."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.listings.models import AchievementPage, DemandPage
from search.backends.base import SearchUnavailable
from search.documents import build_raw_document
from search.matching import match_demand
from search.tokenizing import highlight_html

from .helpers import publish, titles

pytestmark = pytest.mark.django_db


def doc(
    id,
    title,
    *,
    type="achievement",
    keywords=(),
    body="",
    field="aluminium",
    county="bincheng",
    trl=6,
    modes=("license",),
    price="500000",
    days_old=1,
    expires=None,
):
    return build_raw_document(
        id=id,
        type=type,
        title=title,
        keywords=list(keywords),
        body=body,
        field=field,
        county=county,
        trl=trl,
        transfer_modes=list(modes),
        price=Decimal(price) if price else None,
        price_negotiable=price is None,
        published_at=timezone.now() - dt.timedelta(days=days_old),
        expires=expires,
        organization="滨州学院",
    )


def make_corpus():
    return [
        doc(
            1,
            "高强韧铝合金轻量化车身结构件制备技术",
            keywords=["铝合金", "轻量化", "车身"],
            body="开发高强韧铝合金材料及一体化压铸工艺，实现车身结构件减重30%。",
            trl=7,
            price="800000",
            days_old=3,
        ),
        doc(
            2,
            "铝合金型材挤压模具寿命提升技术",
            keywords=["铝型材", "模具"],
            body="提高铝型材挤压模具寿命。",
            county="zouping",
            trl=5,
            price="200000",
            days_old=1,
        ),
        doc(
            3,
            "盐碱地耐盐水稻育种技术",
            keywords=["育种", "盐碱地"],
            body="耐盐碱水稻新品种选育与示范。",
            field="seed-industry",
            county="zhanhua",
            trl=8,
            modes=("assignment",),
            price=None,
            days_old=2,
        ),
        doc(
            4,
            "化工园区污水处理工艺",
            keywords=["污水处理", "化工园区"],
            body="高盐有机废水处理。",
            field="eco-environment",
            county="beihai",
            trl=4,
            modes=("service",),
            price="50000",
            days_old=5,
        ),
    ]


@pytest.fixture
def corpus(db):
    return make_corpus()


def test_indexed_documents_are_found_with_highlights(backend, corpus):
    assert backend.index_documents(corpus) == 4
    assert backend.count() == 4
    results = backend.search("铝合金 轻量化")
    assert titles(results)[0] == "高强韧铝合金轻量化车身结构件制备技术"
    assert set(titles(results)) == {corpus[0]["title"], corpus[1]["title"]}
    assert results.total == 2
    top = results.hits[0]
    assert top.score > results.hits[1].score > 0
    html = highlight_html(top.highlights["title_text"][0])
    assert "<mark>铝合金</mark>" in html and "<mark>轻量化</mark>" in html
    assert "高强韧" in html, "segmentation spaces are removed for display"


def test_a_domain_word_is_found_inside_a_longer_word(backend, corpus):
    backend.index_documents(corpus)
    # 合金 is inside 铝合金: found through the low-boost subword field.
    assert set(titles(backend.search("合金"))) == {corpus[0]["title"], corpus[1]["title"]}


def test_reindexing_a_document_replaces_it(backend, corpus):
    backend.index_documents(corpus)
    changed = doc(1, "镁合金压铸技术", keywords=["镁合金"], body="镁合金一体化压铸。")
    backend.index_documents([changed])
    assert backend.count() == 4
    assert titles(backend.search("镁合金")) == ["镁合金压铸技术"]
    assert "高强韧铝合金轻量化车身结构件制备技术" not in titles(backend.search("轻量化"))


def test_deleted_documents_disappear(backend, corpus):
    backend.index_documents(corpus)
    backend.delete([1, 999_999])  # an unknown id is ignored
    assert backend.count() == 3
    assert titles(backend.search("铝合金")) == ["铝合金型材挤压模具寿命提升技术"]
    assert backend.candidates(["轻量化"], "achievement") == []


def test_expired_documents_never_show(backend, corpus):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    backend.index_documents(
        [
            *corpus,
            doc(5, "过期的铝合金成果", keywords=["铝合金"], expires=yesterday),
            doc(6, "今天到期的铝合金成果", keywords=["铝合金"], expires=timezone.localdate()),
        ]
    )
    found = titles(backend.search("铝合金"))
    assert "过期的铝合金成果" not in found
    assert "今天到期的铝合金成果" in found
    assert 5 not in [c.id for c in backend.candidates(["铝合金"], "achievement")]


def test_facet_counts_follow_query_and_filters(backend, corpus):
    backend.index_documents(corpus)
    everything = backend.search("")
    assert everything.total == 4
    field_counts = {f.value: f.count for f in everything.facets["field"]}
    assert field_counts == {"aluminium": 2, "seed-industry": 1, "eco-environment": 1}
    assert {f.value: f.count for f in everything.facets["transfer_modes"]} == {
        "license": 2,
        "assignment": 1,
        "service": 1,
    }
    assert {f.value: f.count for f in everything.facets["stage"]} == {"pilot": 1, "bench": 2, "industrial": 1}

    narrowed = backend.search("技术", filters={"field": "aluminium", "county": ["zouping"]})
    assert titles(narrowed) == ["铝合金型材挤压模具寿命提升技术"]
    assert {f.value: f.count for f in narrowed.facets["county"]} == {"zouping": 1}
    assert backend.search("", filters={"type": "demand"}).total == 0


def test_sorting_and_pagination(backend, corpus):
    backend.index_documents(corpus)
    assert [h.id for h in backend.search("", sort="newest").hits] == [2, 3, 1, 4]
    assert [h.id for h in backend.search("", sort="trl").hits] == [3, 1, 2, 4]
    # Cheapest first; a negotiable price (no number) comes last.
    assert [h.id for h in backend.search("", sort="price").hits] == [4, 2, 1, 3]
    first = backend.search("", sort="newest", page=1, per_page=3)
    second = backend.search("", sort="newest", page=2, per_page=3)
    assert first.total == second.total == 4
    assert [h.id for h in first.hits] + [h.id for h in second.hits] == [2, 3, 1, 4]
    assert backend.search("", page=50, per_page=3).hits == []


@pytest.mark.parametrize("query", ['"铝合金 AND (OR', "title_text:铝合金~2 /.*/", "*", "\\", "{}[]^!:", "‘“《》"])
def test_query_syntax_characters_are_plain_text(backend, query, corpus):
    backend.index_documents(corpus)
    results = backend.search(query)  # never a parse error
    assert set(titles(results)) <= {d["title"] for d in corpus}
    if "铝合金" in query:
        assert results.hits and results.hits[0].id in (1, 2)


def test_a_very_long_query_is_bounded(backend, corpus):
    backend.index_documents(corpus)
    results = backend.search("铝合金轻量化" * 333)  # ~2,000 characters
    assert results.hits[0].id == 1


def test_candidates_respect_type_and_exclusions(backend, corpus):
    backend.index_documents([*corpus, doc(10, "铝合金电池托盘轻量化需求", type="demand", keywords=["铝合金"])])
    found = backend.candidates(["铝合金", "轻量化"], "achievement", size=10)
    assert [c.id for c in found] == [1, 2]
    assert found[0].score > found[1].score
    assert found[0].source["field"] == "aluminium"
    assert "铝合金" in found[0].source["title_text"].split()
    assert [c.id for c in backend.candidates(["铝合金"], "achievement", filters={"exclude_ids": [1]})] == [2]
    assert [c.id for c in backend.candidates(["铝合金"], "demand")] == [10]


def test_candidates_are_the_best_of_the_wanted_type_even_when_others_score_higher(backend):
    # Demands, an expired and an excluded achievement all share more words than the two achievements
    # asked for. Filtering must happen while the best hits are collected, not on the overall best two
    # (all demands: nothing would be left), so both wanted achievements come back, best first.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    stronger = dict(keywords=["铝合金", "轻量化"], body="铝合金轻量化。铝合金轻量化。")
    docs = [doc(100 + i, "铝合金轻量化需求", type="demand", **stronger) for i in range(6)]
    docs += [
        doc(3, "过期的铝合金轻量化成果", expires=yesterday, **stronger),
        doc(4, "本需求自己的铝合金轻量化成果", **stronger),
        doc(1, "铝合金轻量化车身", keywords=["铝合金"]),
        doc(2, "铝合金型材"),
    ]
    backend.index_documents(docs)
    found = backend.candidates(["铝合金", "轻量化"], "achievement", filters={"exclude_ids": [4]}, size=2)
    assert [c.id for c in found] == [1, 2]
    assert found[0].score > found[1].score > 0


def test_full_reindex_swaps_in_a_new_index(backend, corpus):
    backend.index_documents(corpus)
    written = backend.reindex(iter(corpus[2:]))
    assert written == 2
    assert backend.count() == 2
    assert backend.search("铝合金").total == 0
    assert backend.search("育种").total == 1
    if backend.name == "elasticsearch":
        targets = backend._alias_targets()
        assert len(targets) == 1 and targets[0].startswith(f"{backend.prefix}-listings-v1-")
    assert backend.health()["ok"]


def test_matching_ranks_shared_domain_terms_first(
    backend,
    site,
    enterprise_user,
    enterprise,
    university_user,
    university,
    django_capture_on_commit_callbacks,
):
    """A demand about 铝合金轻量化 ranks the aluminium lightweighting result above an unrelated one,
    and says which terms they share."""
    with django_capture_on_commit_callbacks(execute=True):
        unrelated = publish(
            university_user,
            university,
            AchievementPage,
            title="盐碱地耐盐水稻育种技术",
            keywords="育种,盐碱地",
            summary="耐盐碱水稻新品种选育，亩产提高，适合轻度盐碱地技术推广。",
            field=_field("seed-industry"),
        )
        aluminium = publish(university_user, university, AchievementPage)
        demand = publish(enterprise_user, enterprise, DemandPage)
    assert backend.count() == 3

    matches = match_demand(demand, top=10)
    assert [m.page.pk for m in matches][0] == aluminium.pk
    by_page = {m.page.pk: m for m in matches}
    assert unrelated.pk not in by_page or by_page[unrelated.pk].score < by_page[aluminium.pk].score
    best = matches[0]
    assert {"铝合金", "轻量化"} <= set(best.shared_terms)
    assert any(r.startswith("共同关键词：") and "铝合金" in r and "轻量化" in r for r in best.reasons)
    assert "同一领域：铝基轻量化" in best.reasons
    assert "预算覆盖报价" in best.reasons  # 800,000 ≤ budget max 1,000,000
    assert "转化方式一致：合作开发" in best.reasons
    assert isinstance(best.page, AchievementPage) and 0 < best.score <= 1


def test_backends_unavailable_is_reported_not_crashed(dead_elasticsearch, corpus):
    from search.backends import get_backend

    backend = get_backend()
    with pytest.raises(SearchUnavailable):
        backend.search("铝合金")
    with pytest.raises(SearchUnavailable):
        backend.index_documents(corpus)
    assert backend.health()["ok"] is False


def _field(slug):
    from marketplace.taxonomy.models import IndustryField

    return IndustryField.objects.get(slug=slug)


def test_a_lost_index_is_recreated_by_the_next_write(backend, corpus):
    backend.index_documents(corpus)
    if backend.name == "elasticsearch":
        backend.drop()  # someone deleted the indices
    else:
        import shutil

        shutil.rmtree(backend.path)
    backend.index_documents(corpus[:1])
    assert titles(backend.search("铝合金")) == [corpus[0]["title"]]
    if backend.name == "elasticsearch":
        assert backend._alias_targets() == [f"{backend.prefix}-listings-v1"], "a real index behind the alias"
