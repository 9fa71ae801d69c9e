"""Matching that understands enterprise wording, on both engines: thesaurus concepts as reasons, hard
negatives left out, specific shared terms only, bilingual search, and the 'fewer but better' cut-off."""

import pytest

from marketplace.listings.models import AchievementPage, DemandPage
from marketplace.taxonomy.models import IndustryField
from search import matching
from search.backends import Candidate

from .helpers import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def chem(backend, site, university_user, university, enterprise_user, enterprise, django_capture_on_commit_callbacks):
    field = IndustryField.objects.get(slug="smart-chemicals")
    materials = IndustryField.objects.get(slug="new-materials")
    with django_capture_on_commit_callbacks(execute=True):
        return {
            "demand": publish(
                enterprise_user, enterprise, DemandPage, field=field, keywords="",
                title="罐区跑冒滴漏发现不及时",
                description="我们化工厂罐区和管廊老是有跑冒滴漏，巡检靠人看，漏了好久才发现，想早点报警。",
            ),
            "answer": publish(
                university_user, university, AchievementPage, field=field,
                title="化工储罐区泄漏在线监测与预警系统", keywords="泄漏监测,储罐,预警",
                summary="基于光纤传感与可燃气体检测的储罐及管线泄漏实时监测，泄漏定位与分级报警。",
            ),
            "same_words": publish(  # 漏 again, but roofs that let rain in: a different problem
                university_user, university, AchievementPage, field=materials,
                title="建筑屋面防水与注浆堵漏材料", keywords="防水,堵漏",
                summary="高分子防水卷材与注浆堵漏材料，用于屋面、地下室渗水修复。",
            ),
        }


def test_problem_words_reach_technical_terms_and_the_reason_says_how(chem):
    matches = matching.match_demand(chem["demand"])
    assert [m.page.pk for m in matches] == [chem["answer"].pk], "the roof-leak material is not listed"
    best = matches[0]
    assert best.strong
    assert "跑冒滴漏 ≈ 泄漏" in best.concepts
    assert any(r.startswith("相近说法：") and "跑冒滴漏 ≈ 泄漏" in r for r in best.reasons)


def test_an_english_query_finds_chinese_results(chem):
    from search.backends import get_backend

    hits = get_backend().search("leak detection").hits
    assert [h.id for h in hits][:1] == [chem["answer"].pk]
    mixed = get_backend().search("储罐 leak").hits
    assert mixed[0].id == chem["answer"].pk


# ---- the re-rank (pure function, no backend) ------------------------------------------------


def _source(**kw):
    base = {"id": 1, "type": "achievement", "title": "t", "title_text": "", "keywords_text": "", "body_text": "",
            "keywords": [], "field": "", "field_name": "", "county": "", "trl": None, "transfer_modes": [],
            "price_fen": None, "price_negotiable": False, "budget_min_fen": None, "budget_max_fen": None,
            "industries": [], "published_at": None}
    base.update(kw)
    return base


FILLERS = "时间 小于 重点 滨州 技术 研究"


def test_filler_words_are_never_reasons_and_never_make_a_match(db):
    demand = _source(id=100, type="demand", title_text=f"{FILLERS} 氨氮 超标")
    both = Candidate(id=1, score=2.0, source=_source(id=1, title_text=f"{FILLERS} 氨氮 去除"))
    fillers_only = Candidate(id=2, score=1.5, source=_source(id=2, title_text=FILLERS))
    ranked = matching.rank_candidates(demand, [both, fillers_only], {})
    assert [r.id for r in ranked] == [1]
    assert ranked[0].shared_terms == ["氨氮"]
    assert not any(word in " ".join(ranked[0].reasons) for word in FILLERS.split())


def test_the_cut_off_needs_a_good_score_and_closeness_to_the_best():
    assert matching.is_strong(0.80, 0.80)
    assert matching.is_strong(0.41, 0.80)  # ≥ 0.40 and ≥ half the best
    assert not matching.is_strong(0.39, 0.39), "below the absolute bar even when it is the best"
    assert not matching.is_strong(0.45, 0.95), "less than half the best"
