"""The evaluation: metrics worked out by hand, and match_eval run on a small labelled set."""

import json
import math

import pytest
from django.core.management import call_command

from search import evaluation


def test_ndcg_rewards_the_best_grades_first():
    labels = {"R1": 2, "R2": 1, "R3": 0}
    assert evaluation.ndcg_at(["R1", "R2", "R3"], labels) == pytest.approx(1.0)
    # DCG = 1/log2(2) + 3/log2(3); ideal = 3/log2(2) + 1/log2(3)
    expected = (1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3))
    assert evaluation.ndcg_at(["R2", "R1", "R3"], labels) == pytest.approx(expected)
    assert evaluation.ndcg_at([], labels) == 0.0


def test_recall_and_the_irrelevant_share_count_unlabelled_results_as_irrelevant():
    labels = {"R1": 2, "R2": 1, "R3": 0}
    assert evaluation.recall_at(["R2", "R9"], labels) == 0.5
    scores = evaluation.Scores("x")
    scores.add("D1", ["R1", "R9", "R3"], ["R1", "R9"], labels, 10)
    assert scores.summary()["irrelevant_shown"] == 0.5
    assert scores.summary()["irrelevant_listed"] == pytest.approx(2 / 3)


ORG_U = {"name": "评测高校", "uscc": "12371600MB12345672", "kind": "university"}
ORG_E = {"name": "评测企业有限公司", "uscc": "91371626MA3C7K2Q8N", "kind": "enterprise"}
LINES = [
    {"type": "achievement", "external_id": "R1", "title": "再生铝熔体在线除气除杂精炼技术",
     "summary": "旋转喷吹除气与陶瓷泡沫过滤复合精炼，去除再生铝熔体非金属夹杂物。", "field": "aluminium",
     "keywords": ["再生铝", "精炼", "夹杂物"], "maturity": 6, "transfer_modes": ["许可"], "organization": ORG_U},
    {"type": "achievement", "external_id": "R2", "title": "电镀废水重金属杂质深度去除技术",
     "summary": "螯合树脂吸附去除电镀废水中的重金属杂质。", "field": "eco-environment",
     "keywords": ["重金属", "电镀废水"], "maturity": 6, "transfer_modes": ["许可"], "organization": ORG_U},
    {"type": "demand", "external_id": "D1", "title": "熔炼出来的铝锭杂质多",
     "description": "我们用废铝回炉熔炼，锭子杂质多，想把铝水弄干净。", "field": "aluminium", "organization": ORG_E},
]


@pytest.mark.django_db
def test_match_eval_reports_the_matcher_beside_plain_bm25(tmp_path, site):
    (tmp_path / "listings.jsonl").write_text(
        "\n".join(json.dumps(line, ensure_ascii=False) for line in LINES), encoding="utf-8"
    )
    (tmp_path / "qrels.csv").write_text("demand,result,grade\nD1,R1,2\nD1,R2,0\n", encoding="utf-8")
    out = __import__("io").StringIO()
    call_command("match_eval", "--engine", "embedded", "--set", str(tmp_path), "--format", "json", stdout=out)
    report = json.loads(out.getvalue())["embedded"]
    # Plain BM25 finds only the electroplating result (it shares 杂质) and misses the answer, which has no
    # word in common with the demand; the thesaurus bridges 废铝/铝水/杂质 to 再生铝/熔体/夹杂物.
    assert report["bm25"]["irrelevant_listed"] == 1.0
    assert report["bm25"]["ndcg"] == 0.0
    assert report["matcher"]["ndcg"] == pytest.approx(1.0)
    assert report["matcher"]["irrelevant_listed"] == 0.0
    assert report["matcher"]["shown_per_demand"] == 1.0
