"""Offline evaluation of the matcher on a labelled set (search/eval/): nDCG@k, recall@k and the share
of shown matches that are irrelevant, for the matcher and for plain jieba + BM25 in the same run.

The set: ``listings.jsonl`` (import_listings format; demands and achievements) and ``qrels.csv``
(demand external_id, result external_id, grade 0/1/2). A result not labelled for a demand counts as
grade 0, so anything the corpus holds beyond the set can only lower the figures."""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

EVAL_DIR = Path(__file__).resolve().parent / "eval"


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    """{demand external_id: {result external_id: grade}}."""
    qrels: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            grade = int(row["grade"])
            if grade not in (0, 1, 2):
                raise ValueError(f"grade must be 0, 1 or 2: {row}")
            qrels.setdefault(row["demand"].strip(), {})[row["result"].strip()] = grade
    return qrels


def dcg(gains: Sequence[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranked: Sequence[str], labels: Mapping[str, int], k: int = 10) -> float:
    ideal = dcg(sorted(labels.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([labels.get(r, 0) for r in ranked[:k]]) / ideal


def recall_at(ranked: Sequence[str], labels: Mapping[str, int], k: int = 10) -> float:
    relevant = {r for r, g in labels.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


@dataclass
class Scores:
    """Macro averages over demands; ``irrelevant_shown`` is pooled over every shown match."""

    name: str
    ndcg: list[float] = field(default_factory=list)
    ndcg_shown: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    listed: int = 0
    listed_irrelevant: int = 0
    shown: int = 0
    shown_irrelevant: int = 0
    per_demand: dict[str, list[str]] = field(default_factory=dict)

    def add(self, demand: str, ranked: Sequence[str], shown: Sequence[str], labels: Mapping[str, int], k: int) -> None:
        self.ndcg.append(ndcg_at(ranked, labels, k))
        self.ndcg_shown.append(ndcg_at(shown, labels, k))
        self.recall.append(recall_at(ranked, labels, k))
        self.listed += len(ranked[:k])
        self.listed_irrelevant += sum(1 for r in ranked[:k] if labels.get(r, 0) == 0)
        self.shown += len(shown)
        self.shown_irrelevant += sum(1 for r in shown if labels.get(r, 0) == 0)
        self.per_demand[demand] = list(ranked)

    def summary(self) -> dict[str, float]:
        n = max(len(self.ndcg), 1)
        return {
            "ndcg": sum(self.ndcg) / n,
            "ndcg_shown": sum(self.ndcg_shown) / n,
            "recall": sum(self.recall) / n,
            "irrelevant_listed": self.listed_irrelevant / self.listed if self.listed else 0.0,
            "irrelevant_shown": self.shown_irrelevant / self.shown if self.shown else 0.0,
            "shown_per_demand": self.shown / n,
        }


# demand id → (what is listed, e.g. `manage.py match --top k`; what a page shows by default)
Ranker = Callable[[str], tuple[list[str], list[str]]]


def evaluate(name: str, qrels: Mapping[str, Mapping[str, int]], ranker: Ranker, k: int = 10) -> Scores:
    scores = Scores(name)
    for demand, labels in sorted(qrels.items()):
        ranked, shown = ranker(demand)
        scores.add(demand, ranked, shown, labels, k)
    return scores
