"""Measure matching on the labelled set in search/eval/ (see search/evaluation.py).

    python manage.py match_eval [--engine embedded|elasticsearch|both] [--k 10] [--set DIR]

Imports the set's listings (published; idempotent on external_id), builds a throw-away index of every
public listing on each engine (the site's own index is not touched), and prints nDCG@k, recall@k and
the share of shown matches that are irrelevant for the matcher and for plain jieba + BM25."""

from __future__ import annotations

import json
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings

from marketplace.listings.importing import import_listings
from marketplace.listings.models import AchievementPage, DemandPage
from marketplace.listings.selectors import public_listings
from search import evaluation, matching, selectors, services, tokenizing
from search.backends import SearchError, get_backend
from search.models import MatchFeedback


class Command(BaseCommand):
    help = "评估匹配效果 Evaluate matching (nDCG, recall, irrelevant share) against plain BM25."

    def add_arguments(self, parser):
        parser.add_argument("--engine", choices=["embedded", "elasticsearch", "both"], default="both")
        parser.add_argument("--k", type=int, default=10)
        parser.add_argument("--set", default=str(evaluation.EVAL_DIR), help="folder with listings.jsonl and qrels.csv")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--no-import", action="store_true", help="the set is already in the database")

    def handle(self, *args, **options):
        folder = Path(options["set"])
        qrels = evaluation.load_qrels(folder / "qrels.csv")
        if not options["no_import"]:
            with (folder / "listings.jsonl").open("rb") as handle:
                result = import_listings(handle, publish=True)
            if result.failed_lines:
                raise CommandError(f"评测集导入失败 lines failed: {result.failed_lines}")
        engines = ["embedded", "elasticsearch"] if options["engine"] == "both" else [options["engine"]]
        if "elasticsearch" in engines and not getattr(settings, "ELASTICSEARCH_URL", ""):
            if options["engine"] == "elasticsearch":
                raise CommandError("ELASTICSEARCH_URL is not set")
            engines.remove("elasticsearch")
        report = {}
        for engine in engines:
            try:
                report[engine] = self._run_engine(engine, qrels, options["k"])
            except SearchError as exc:
                raise CommandError(f"搜索服务暂时不可用 Search is unavailable ({engine}): {exc}") from exc
        if options["format"] == "json":
            report["outcomes"] = selectors.feedback_summary()
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        k = options["k"]
        self.stdout.write(f"{len(qrels)} demands, {sum(len(v) for v in qrels.values())} labelled pairs")
        for engine, methods in report.items():
            self.stdout.write(f"[{engine}]")
            self.stdout.write(f"  {'method':<9}{'nDCG@' + str(k):>9}{'recall@' + str(k):>11}"
                              f"{'irrelevant listed':>19}{'shown nDCG':>12}{'irrelevant shown':>18}"
                              f"{'shown/demand':>14}")
            for name, row in methods.items():
                self.stdout.write(f"  {name:<9}{row['ndcg']:>9.3f}{row['recall']:>11.3f}"
                                  f"{row['irrelevant_listed']:>18.1%}{row['ndcg_shown']:>12.3f}"
                                  f"{row['irrelevant_shown']:>17.1%}{row['shown_per_demand']:>14.1f}")
        outcomes = selectors.feedback_summary()
        self.stdout.write("outcomes recorded on the site: " + ", ".join(
            f"{label} {outcomes.get(code, 0)}" for code, label in MatchFeedback.Verdict.choices))
        self.stdout.write("listed = what `manage.py match --top k` prints; shown = what a page shows before "
                          "“显示更多较弱匹配”")

    def _run_engine(self, engine: str, qrels, k: int) -> dict[str, dict[str, float]]:
        with tempfile.TemporaryDirectory() as tmp, override_settings(
            SEARCH_BACKEND=engine,
            SEARCH_EMBEDDED_PATH=Path(tmp) / "index",
            SEARCH_INDEX_PREFIX=f"match-eval-{uuid.uuid4().hex[:8]}",
        ):
            backend = get_backend()
            try:
                backend.reset()
                backend.reindex(services.iter_public_documents())
                return self._measure(backend, qrels, k)
            finally:
                if engine == "elasticsearch":
                    backend.drop()

    def _measure(self, backend, qrels, k: int) -> dict[str, dict[str, float]]:
        demands = {d.external_id: d for d in public_listings(DemandPage).filter(external_id__in=list(qrels))}
        missing = sorted(set(qrels) - set(demands))
        if missing:
            raise CommandError(f"评测需求未发布 demands not published: {', '.join(missing)}")
        external = dict(public_listings(AchievementPage).values_list("pk", "external_id"))

        def bm25(demand_id: str) -> tuple[list[str], list[str]]:
            demand = demands[demand_id]
            tokens = tokenizing.query_tokens(f"{demand.title} {demand.description}")
            ranked = [external.get(c.id, "") for c in backend.candidates(tokens, "achievement", size=k)]
            return ranked, ranked

        def matcher(demand_id: str) -> tuple[list[str], list[str]]:
            matches = matching.match_demand(demands[demand_id], top=k)
            ranked = [getattr(m.page, "external_id", "") for m in matches]
            shown = [getattr(m.page, "external_id", "") for m in matches if getattr(m, "strong", True)]
            return ranked, shown

        return {
            "bm25": evaluation.evaluate("bm25", qrels, bm25, k).summary(),
            "matcher": evaluation.evaluate("matcher", qrels, matcher, k).summary(),
        }
