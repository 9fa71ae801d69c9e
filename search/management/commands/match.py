"""Print the best-matching achievements for a demand.

    python manage.py match --demand EXTERNAL_ID --top 10 --format json
    python manage.py match --demand-id PAGE_ID

JSON: [{"external_id", "title", "score", "reasons": [...], "strong", "shared_terms", "concepts"}, ...]

Matches below the matcher's floor (search.matching.FLOOR_SCORE) are never listed, so fewer than N rows
may come back; "strong" says whether a page would show the match before "显示更多较弱匹配"."""

import json

from django.core.exceptions import FieldDoesNotExist
from django.core.management.base import BaseCommand, CommandError

from marketplace.listings.models import DemandPage
from marketplace.listings.selectors import public_listings
from search import matching
from search.backends import SearchError


class Command(BaseCommand):
    help = "为技术需求匹配科技成果 Match a demand to achievements."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--demand", help="the demand's external_id (as imported)")
        which.add_argument("--demand-id", type=int, help="the demand's page id")
        parser.add_argument("--top", type=int, default=10)
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def _demand(self, options) -> DemandPage:
        demands = public_listings(DemandPage)
        if options["demand_id"] is not None:
            demand = demands.filter(pk=options["demand_id"]).first()
            label = f"id {options['demand_id']}"
        else:
            try:
                DemandPage._meta.get_field("external_id")
            except FieldDoesNotExist:
                raise CommandError("DemandPage has no external_id field yet; use --demand-id") from None
            demand = demands.filter(external_id=options["demand"]).first()
            label = f"external_id {options['demand']!r}"
        if demand is None:
            raise CommandError(f"未找到已发布的技术需求 No published demand with {label}")
        return demand

    def handle(self, *args, **options):
        top = options["top"]
        if top < 0:
            raise CommandError("--top must be 0 or more")
        if top > matching.MAX_TOP:
            self.stderr.write(f"--top {top} is above the limit; showing {matching.MAX_TOP}")
        demand = self._demand(options)
        try:
            matches = matching.match_demand(demand, top=top)
        except SearchError as exc:
            raise CommandError(f"搜索服务暂时不可用 Search is unavailable: {exc}") from exc
        rows = [
            {
                "external_id": getattr(m.page, "external_id", "") or "",
                "title": m.page.title,
                "score": m.score,
                "reasons": m.reasons,
                "strong": m.strong,
                "shared_terms": m.shared_terms,
                "concepts": m.concepts,
            }
            for m in matches
        ]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for n, row in enumerate(rows, 1):
            mark = "" if row["strong"] else "  (较弱)"
            self.stdout.write(f"{n}. {row['title']}  [{row['score']:.3f}] {row['external_id']}{mark}")
            for reason in row["reasons"]:
                self.stdout.write(f"     - {reason}")
