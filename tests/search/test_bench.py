"""The benchmark runs (small N here; the 100,000-document run is recorded in bench/README.md)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require_service

from .conftest import ES_URL, elasticsearch_status

ROOT = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^\| (embedded|elasticsearch) \| ([\d,]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|", re.M)


@pytest.mark.parametrize("backend", ["embedded", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def test_benchmark_runs_and_prints_its_numbers(backend):
    if backend == "elasticsearch":
        available, reason = elasticsearch_status()
        require_service("Elasticsearch", available, reason)
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "search_bench.py"),
            "--n",
            "300",
            "--queries",
            "20",
            "--backends",
            backend,
            "--es-url",
            ES_URL,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rows = ROW.findall(result.stdout)
    assert [r[0] for r in rows] == [backend], result.stdout
    _, docs_per_s, reindex_s, p50, p95 = rows[0]
    assert float(docs_per_s.replace(",", "")) > 0 and float(p95) >= float(p50) > 0
    assert "100%" in result.stdout, "every generated demand finds a match"


def test_the_full_run_is_recorded():
    readme = (ROOT / "bench" / "README.md").read_text()
    assert "100000 generated achievements" in readme
    assert {r[0] for r in ROW.findall(readme)} == {"embedded", "elasticsearch"}
