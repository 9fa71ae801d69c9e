"""Search-layer benchmark: bulk indexing, full reindex and match latency on both backends.

    .venv/bin/python bench/search_bench.py [--n 100000] [--queries 200] [--backends embedded,elasticsearch]
                                           [--es-url http://127.0.0.1:9200]

Creating 100,000 Wagtail pages would take hours and measure Wagtail, not search; so the benchmark
generates achievement *documents* (the dicts search.documents builds from pages: same jieba
segmentation with the taxonomy dictionary, same fields) and drives the real backends and the real
match engine (search.matching.rank_candidates) with them. No database is needed. The numbers are
printed; they are not a pass/fail test (see bench/README.md for a recorded run and the targets).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")  # a development run: settings fail closed without it

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from marketplace.taxonomy.models import County  # noqa: E402
from marketplace.taxonomy.seed import COUNTIES, INDUSTRY_FIELDS  # noqa: E402
from search import thesaurus, tokenizing  # noqa: E402
from search.backends.base import SearchBackend, source_fields  # noqa: E402
from search.documents import build_raw_document  # noqa: E402
from search.matching import CANDIDATES, build_query, matching_tokens, rank_candidates  # noqa: E402

# Technical vocabulary the generator draws from, per field (plus the field's own domain terms).
WORDS = {
    "aluminium": "高强韧 压铸 挤压 车身 电池托盘 型材 熔体净化 再生铝 热处理 一体化 焊接 模具 表面处理 "
    "减重 轮毂",
    "smart-chemicals": "催化剂 反应器 精馏 安全仪表 过程控制 聚合 溶剂回收 连续流 微反应 萃取",
    "low-carbon": "碳排放 储能 光伏 氢能 余热回收 节能 碳足迹 电解槽 热泵",
    "eco-environment": "废水 脱硫 脱硝 土壤修复 膜分离 污泥 除尘 挥发性有机物 生物降解",
    "health": "康复 养老 中药 医疗器械 慢病管理 诊断试剂 可穿戴 营养",
    "work-safety": "监测预警 防爆 危化品 隐患排查 传感器 应急救援 视频识别",
    "food-drug-safety": "检测 快检 农残 溯源 冷链 保鲜 兽药残留 微生物",
    "marine": "海参 养殖 海藻 海洋牧场 卤水 海洋生物 渔业 滩涂",
    "seed-industry": "小麦 玉米 棉花 水稻 耐盐 品种 分子标记 种质资源 栽培",
    "rural-revitalization": "农机 灌溉 秸秆 冬枣 电商 合作社 设施农业 病虫害",
    "high-end-equipment": "机器人 减速器 伺服 激光 数控机床 轴承 液压 检测装备 自动化",
    "new-materials": "陶瓷 碳纤维 石墨烯 涂层 高分子 复合 稀土 气凝胶 树脂",
    "textiles": "纤维 印染 无纺布 功能面料 纺纱 抗菌 阻燃 家纺",
    "new-it": "物联网 边缘计算 数字孪生 区块链 机器视觉 云平台 软件 数据治理",
}
GENERIC = "技术 工艺 方法 系统 装置 研发 应用 制备 优化 集成 智能 高效 低成本 绿色".split()
MODES = ["assignment", "license", "equity", "co_development", "service"]


def configure_segmenter() -> None:
    words = [w for _slug, name, _en, terms in INDUSTRY_FIELDS for w in (name, *terms)]
    words += [name for _slug, name, *_ in COUNTIES]
    tokenizing.configure(words)


def field_words(slug: str) -> list[str]:
    terms = next(t for s, _n, _e, t in INDUSTRY_FIELDS if s == slug)
    return list(terms) + WORDS[slug].split()


def generate(i: int, type_: str = "achievement") -> dict:
    rnd = random.Random(i * 7919 + (0 if type_ == "achievement" else 1))
    slug, field_name, *_ = rnd.choice(INDUSTRY_FIELDS)
    vocab = field_words(slug)
    # A little vocabulary from another field, as real listings drift across fields.
    other = field_words(rnd.choice(INDUSTRY_FIELDS)[0])
    title = "".join(rnd.sample(vocab, 3)) + rnd.choice(GENERIC)
    keywords = rnd.sample(vocab, 3)
    sentences = []
    for _ in range(rnd.randint(3, 6)):
        parts = rnd.sample(vocab, 3) + [rnd.choice(other), rnd.choice(GENERIC)]
        rnd.shuffle(parts)
        sentences.append("针对" + "、".join(parts[:2]) + "，开发" + "".join(parts[2:]) + "，实现性能提升。")
    county = rnd.choice(COUNTIES)[0]
    published = timezone.now() - dt.timedelta(days=rnd.randint(0, 720))
    if type_ == "achievement":
        price = Decimal(rnd.randrange(50_000, 5_000_000, 10_000)) if rnd.random() > 0.2 else None
        return build_raw_document(
            id=i,
            type="achievement",
            title=title,
            keywords=keywords,
            body="".join(sentences),
            summary=sentences[0],
            field=slug,
            field_name=field_name,
            county=county,
            trl=rnd.randint(1, 9),
            transfer_modes=rnd.sample(MODES, rnd.randint(1, 3)),
            price=price,
            price_negotiable=price is None,
            organization=f"高校{i % 97}",
            organization_id=i % 97,
            published_at=published,
        )
    low = Decimal(rnd.randrange(100_000, 2_000_000, 10_000))
    return build_raw_document(
        id=10_000_000 + i,
        type="demand",
        title=title + "需求",
        keywords=keywords,
        body="".join(sentences),
        field=slug,
        field_name=field_name,
        county=county,
        transfer_modes=rnd.sample(MODES, 1),
        budget_min=low,
        budget_max=low * 3,
        organization=f"企业{i % 89}",
        published_at=published,
    )


# Documents are generated once and spooled to disk, then streamed per pass: the benchmark's own
# memory stays flat whatever N is.
def spool(n: int, path: Path) -> float:
    started = time.perf_counter()
    with path.open("w") as fh:
        for i in range(1, n + 1):
            fh.write(json.dumps(generate(i), default=str, ensure_ascii=False) + "\n")
    return time.perf_counter() - started


def stream(path: Path) -> Iterator[dict]:
    with path.open() as fh:
        for line in fh:
            doc = json.loads(line)
            doc["price"] = Decimal(doc["price"]) if doc["price"] else None
            doc["published_at"] = dt.datetime.fromisoformat(doc["published_at"])
            yield doc


def rss_mb() -> tuple[float, float, float]:
    """(current, peak, file-backed) resident set size of this process in MB. File-backed pages are
    mostly the memory-mapped index files: shared with the page cache, reclaimable under pressure."""
    values = {}
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(("VmRSS:", "VmHWM:", "RssFile:")):
                key, amount, _unit = line.split()
                values[key] = int(amount) / 1024
    return values.get("VmRSS:", 0.0), values.get("VmHWM:", 0.0), values.get("RssFile:", 0.0)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def bench_backend(
    backend: SearchBackend, spool_path: Path, n: int, queries: list[dict], counties: dict[str, County]
) -> dict:
    result: dict = {"backend": backend.name}
    backend.reset()
    started = time.perf_counter()
    written = backend.index_documents(stream(spool_path))
    elapsed = time.perf_counter() - started
    assert written == n and backend.count() == n, (written, backend.count())
    result["bulk_docs_per_s"] = n / elapsed
    result["bulk_s"] = elapsed
    print(f"  {backend.name}: bulk index done, RSS {rss_mb()[0]:.0f} MB", flush=True)

    started = time.perf_counter()
    backend.reindex(stream(spool_path))
    result["reindex_s"] = time.perf_counter() - started
    assert backend.count() == n
    print(f"  {backend.name}: reindex done, RSS {rss_mb()[0]:.0f} MB", flush=True)

    for q in queries[:10]:  # warm caches the way a running site has them
        backend.candidates(matching_tokens(q), "achievement", size=CANDIDATES)
    total_ms, raw_ms, found = [], [], 0
    for q in queries:
        t0 = time.perf_counter()
        mq = build_query(q)  # the listing's words + thesaurus expansions
        tokens = mq.backend_tokens()
        t1 = time.perf_counter()
        candidates = backend.candidates(
            tokens, "achievement", filters={"exclude_ids": [q["id"]]}, size=CANDIDATES
        )
        t2 = time.perf_counter()
        ranked = rank_candidates(q, candidates, counties, mq=mq)
        t3 = time.perf_counter()
        found += bool(ranked)
        raw_ms.append((t2 - t1) * 1000)
        total_ms.append((t3 - t0) * 1000)
    result.update(
        match_p50=pct(total_ms, 50),
        match_p95=pct(total_ms, 95),
        raw_p50=pct(raw_ms, 50),
        raw_p95=pct(raw_ms, 95),
        matched=found / len(queries),
    )

    search_ms = []
    for q in queries[:100]:
        t0 = time.perf_counter()
        backend.search(" ".join(q["keywords"][:2]), page=1, per_page=10)
        search_ms.append((time.perf_counter() - t0) * 1000)
    result.update(search_p50=pct(search_ms, 50), search_p95=pct(search_ms, 95))
    result["rss_mb"], result["peak_rss_mb"], result["file_rss_mb"] = rss_mb()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100_000, help="generated achievements (default 100000)")
    parser.add_argument("--queries", type=int, default=200, help="generated demands to match (default 200)")
    parser.add_argument("--backends", default="embedded,elasticsearch")
    parser.add_argument("--no-thesaurus", action="store_true",
                        help="match without query expansion (to measure the thesaurus' cost)")
    parser.add_argument("--es-url", default=os.environ.get("ELASTICSEARCH_URL") or "http://127.0.0.1:9200")
    args = parser.parse_args()

    configure_segmenter()
    if args.no_thesaurus:
        thesaurus.configure([], general=False)
    else:
        thesaurus.configure(thesaurus.seed_entries())
    counties = {
        slug: County(slug=slug, name=name, latitude=lat, longitude=lon)
        for slug, name, _en, lat, lon in COUNTIES
    }
    print(f"# search benchmark: {args.n} generated achievements, {args.queries} demand→achievement matches")
    print(f"# machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")

    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        spool_path = Path(tmp) / "docs.jsonl"
        build_s = spool(args.n, spool_path)
        print(
            f"document build (generate + jieba segmentation): {args.n / build_s:,.0f} docs/s ({build_s:.1f}s)"
        )
        print(f"RSS after setup (Django, jieba dictionary) and document build: {rss_mb()[0]:.0f} MB")
        queries = [source_fields(generate(i, "demand")) for i in range(1, args.queries + 1)]

        rows = []
        for name in [b.strip() for b in args.backends.split(",") if b.strip()]:
            if name == "embedded":
                from search.backends.embedded import EmbeddedBackend

                backend = EmbeddedBackend(Path(tmp) / "embedded-index")
            elif name == "elasticsearch":
                from search.backends.elasticsearch import ElasticsearchBackend

                backend = ElasticsearchBackend(args.es_url, f"bench-{os.getpid()}", request_timeout=120)
                health = backend.health()
                if not health["ok"]:
                    print(f"elasticsearch: skipped ({health['detail']})")
                    continue
                print(f"elasticsearch: {health['detail']}")
            else:
                parser.error(f"unknown backend {name}")
            try:
                rows.append(bench_backend(backend, spool_path, args.n, queries, counties))
            finally:
                if name == "elasticsearch":
                    backend.drop()

    print()
    header = (
        "backend",
        "bulk docs/s",
        "reindex s",
        "match p50 ms",
        "match p95 ms",
        "raw query p50 ms",
        "raw query p95 ms",
        "search p50 ms",
        "search p95 ms",
        "matched",
        "RSS MB (peak; file-backed)",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        print(
            f"| {r['backend']} | {r['bulk_docs_per_s']:,.0f} | {r['reindex_s']:.1f} | {r['match_p50']:.1f} | "
            f"{r['match_p95']:.1f} | {r['raw_p50']:.1f} | {r['raw_p95']:.1f} | {r['search_p50']:.1f} | "
            f"{r['search_p95']:.1f} | {r['matched']:.0%} | "
            f"{r['rss_mb']:.0f} ({r['peak_rss_mb']:.0f}; {r['file_rss_mb']:.0f}) |"
        )
    print()
    print(
        "targets: elasticsearch match p95 ≤ 50 ms, embedded ≤ 100 ms, bulk index ≥ 2,000 docs/s, RSS ≤ 400 MB"
    )


if __name__ == "__main__":
    main()
