"""Bulk import speed: `manage.py import_listings --publish` on the chosen database, beside a baseline
measured in the same run (the per-line path: one transaction, one add_child and one publish per line,
which is what --publish did before the bulk writer, and what re-imports of existing listings still do).

Background tasks (match alerts for each new listing, outbox drains) are queued as in production, where
a worker runs them: here onto Celery's in-memory broker, so the figure is the import's own work.
``--alerts inline`` runs them in the import process instead (as `make run` does without a broker).

    .venv/bin/python bench/import_bench.py --n 300                      # SQLite (a throw-away file)
    DATABASE_URL=postgres://techmarket:techmarket@127.0.0.1:54329/techmarket \\
        .venv/bin/python bench/import_bench.py --n 1000 --baseline-n 100   # PostgreSQL (test_ database)
    .venv/bin/python bench/import_bench.py --n 300 --profile            # cProfile of the bulk path

Each run creates its own test database (test_importbench_<pid> on PostgreSQL; dropped afterwards) and
an embedded search index in a temporary directory, so nothing of a developer's data is touched.
Figures: bench/README.md."""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Development settings (no Redis needed); DEBUG is switched off below so no query log slows the run.
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

FIELDS = ["铝基轻量化", "高端装备", "新材料", "医养健康", "智慧化工"]
COUNTIES = ["邹平市", "滨城区", "博兴县", "惠民县", "阳信县"]
WORDS = ["铝合金", "轻量化", "一体化压铸", "盐碱地", "泄漏监测", "除杂精炼", "生物降解", "搅拌摩擦焊",
         "智能检测", "节能降耗", "热处理", "复合材料"]


def uscc(n: int) -> str:
    from accounts.uscc import uscc_check_char

    first17 = f"913716{n:011d}"
    return first17 + uscc_check_char(first17)


def records(n: int, prefix: str) -> list[str]:
    """n JSONL lines (achievements, demands and pilot bases in turn) from 40 organizations."""
    lines = []
    for i in range(n):
        words = [WORDS[(i + k) % len(WORDS)] for k in range(3)]
        org = i % 40
        kind = ("achievement", "demand", "pilot_base")[i % 3]
        line = {"type": kind, "external_id": f"{prefix}-{i}", "title": f"{words[0]}{words[1]}技术{i}",
                "summary": f"围绕{'、'.join(words)}开展研究与应用，第{i}号。", "field": FIELDS[i % len(FIELDS)],
                "keywords": words, "county": COUNTIES[i % len(COUNTIES)]}
        if kind == "achievement":
            line.update(maturity=1 + i % 9, transfer_modes=["许可"], price=100000 + i,
                        organization={"name": f"滨州高校{org}", "uscc": uscc(100 + org), "kind": "高校"})
        elif kind == "demand":
            line.update(budget_min=100000, budget_max=900000, deadline="2099-12-31",
                        organization={"name": f"滨州企业{org}", "uscc": uscc(200 + org), "kind": "企业"})
        else:
            line.update(equipment=["挤压机"], industries=[FIELDS[0]],
                        organization={"name": f"中试基地{org}", "uscc": uscc(300 + org),
                                      "kind": "pilot_base_operator"})
        lines.append(json.dumps(line, ensure_ascii=False))
    return lines


def per_line_baseline(lines: list[str]) -> int:
    """The per-line path: each record in its own transaction, created with add_child and published."""
    from django.db import transaction

    from cms.site_setup import ensure_site_structure
    from marketplace.listings.importing import import_record

    ensure_site_structure()
    done = 0
    for text in lines:
        with transaction.atomic():
            import_record(json.loads(text, parse_float=__import__("decimal").Decimal), publish=True)
        done += 1
    return done


def timed(label: str, func, lines: list[str]) -> float:
    started = time.perf_counter()
    func(lines)
    seconds = time.perf_counter() - started
    rate = len(lines) / seconds
    print(f"{label:<44} {len(lines):>6} records  {seconds:8.2f} s  {rate:8.1f} records/s", flush=True)
    return rate


def queue_tasks_in_memory() -> tuple[bool, str]:
    """Queue background tasks (search push, match alerts) as a production import does, onto Celery's in-memory
    broker where no worker runs them; without a broker Celery would run them inline in the import. Returns the
    previous (task_always_eager, broker_url) for a caller that restores them."""
    from config.celery import app as celery_app

    previous = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = False, "memory://"
    return previous


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=300, help="records for the bulk import")
    parser.add_argument("--baseline-n", type=int, default=60, help="records for the per-line baseline")
    parser.add_argument("--profile", action="store_true", help="print the bulk path's cProfile top 25")
    parser.add_argument("--alerts", choices=["queued", "inline"], default="queued",
                        help="queue background tasks (as with a worker) or run them in the import process")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="import-bench-"))
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    settings.SEARCH_BACKEND = "embedded"
    settings.ELASTICSEARCH_URL = ""
    settings.SEARCH_EMBEDDED_PATH = tmp / "search-index"
    if connection.vendor == "sqlite":
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(tmp / "bench.sqlite3")
    else:  # a database of this run's own: never the shared test_ database of another run or helper
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"test_importbench_{os.getpid()}"
    if args.alerts == "queued":
        queue_tasks_in_memory()
    setup_test_environment(debug=False)
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from marketplace.listings.importing import import_listings

        print(f"database: {connection.vendor}; search: embedded (tantivy) in {tmp}; background tasks: "
              f"{args.alerts}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        baseline = timed("baseline: per-line publish (old path)", per_line_baseline,
                         records(args.baseline_n, "base"))
        lines = records(args.n, "bulk")
        profile = cProfile.Profile() if args.profile else None

        def bulk(lines: list[str]) -> None:
            if profile:
                profile.enable()
            result = import_listings(lines, publish=True)
            if profile:
                profile.disable()
            assert result.ok, result.errors[:3]

        rate = timed("import_listings --publish (bulk path)", bulk, lines)
        again = timed("re-import of the same file (updates)", lambda ls: import_listings(ls, publish=True), lines)
        from wagtail.models import Page

        problems = [p for p in Page.find_problems() if p]
        print(f"speed-up: {rate / baseline:.1f}x the per-line path; re-import {again:.1f} records/s; "
              f"tree problems: {problems or 'none'}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        if profile:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(25)
            print(out.getvalue())
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
