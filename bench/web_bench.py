"""Web pages under load: gunicorn (2 workers, DJANGO_DEBUG=0) on loopback, 16 concurrent clients per page,
each page beside a bare Django view behind the same middleware, measured in the same run.

    .venv/bin/python bench/web_bench.py                           # SQLite, demo data + 300 listings, quick
    DATABASE_URL=$(services/postgres.sh url) .venv/bin/python bench/web_bench.py --n 100000   # the target run
    .venv/bin/python bench/web_bench.py --seconds 5 --clients 16 --search elasticsearch

The run creates its own test database (SQLite file in a temporary directory, or `test_<name>` on
PostgreSQL, dropped afterwards), loads the demo data, imports --n published listings through the bulk
import (bench/import_bench.py's generator), and an embedded search index in the temporary directory
(or, with --search elasticsearch, indexes under a `webbench-<pid>` prefix on ELASTICSEARCH_URL, deleted
afterwards). Redis (REDIS_URL, default 127.0.0.1:63790
database 5) is the shared cache, with a key prefix of this run.
Rate limits are off (the middleware still runs) so 16 clients from one address are not answered 429.

Printed per page: a single warm request (median of 5 in a row), RPS, p50/p95 under load, the ratio of RPS
to /bench/bare/ (config/bench.py, served only with DJANGO_BENCH=1). Everything stops by itself: each page
is driven for --seconds, gunicorn is stopped and the database dropped at the end. Figures: bench/README.md."""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")  # the set-up in this process; the served site runs with DEBUG off

import django  # noqa: E402

DEFAULT_REDIS = "redis://127.0.0.1:63790/5"  # a database number of its own on the shared Redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_answers(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def page_paths(demand_id: int, demand_url: str, field: str, county: str, index_urls: list[str],
               word: str) -> list[tuple[str, str]]:
    filters = f"?field={field}&county={county}"
    return [("bare view /bench/bare/", "/bench/bare/"), ("home", "/")] + [
        (f"list {url}{filters}", f"{url}{filters}") for url in index_urls] + [
        ("search", f"/search/?q={quote(word)}"), ("demand + matches", demand_url), ("events", "/events/"),
        ("match API", f"/api/v1/demands/{demand_id}/matches")]


class Server:
    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.port = port
        self.log_path = log
        self.log = log.open("wb")
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--access-logfile", "-", "--log-level", "warning", "--timeout", "60"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True)

    def wait_ready(self, deadline_s: float = 60) -> None:
        deadline = time.monotonic() + deadline_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.proc.returncode}); see {self.log.name}")
            try:
                status, _ = request(self.port, "/bench/bare/")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("gunicorn did not answer within 60 s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def request(port: int, path: str, conn: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", "Accept-Language": "zh-hans"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        if own:
            conn.close()


def warm_time(port: int, path: str) -> float:
    status, _ = request(port, path)
    if status != 200:
        raise SystemExit(f"{path} answered {status}")
    times = []
    for _ in range(5):
        started = time.perf_counter()
        request(port, path)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def drive(port: int, path: str, clients: int, seconds: float) -> tuple[float, float, float, int]:
    """clients threads, each on its own keep-alive connection, for seconds; (rps, p50, p95, errors)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                status, _ = request(port, path, conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            mine.append(time.perf_counter() - started)
            bad += status != 200
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    if not latencies:
        return 0.0, 0.0, 0.0, errors[0]
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
    return len(latencies) / elapsed, statistics.median(latencies), p95, errors[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=300, help="published listings to import (100000 for the target)")
    parser.add_argument("--seconds", type=float, default=4.0, help="load per page")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--search", choices=["embedded", "elasticsearch"], default="embedded")
    args = parser.parse_args()

    redis_url = os.environ.get("REDIS_URL", DEFAULT_REDIS)
    if not redis_answers(redis_url):
        raise SystemExit(f"Redis does not answer at {redis_url}: DEBUG-off settings need the shared cache")
    tmp = Path(tempfile.mkdtemp(prefix="web-bench-"))
    prefix = f"webbench-{os.getpid()}"
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    if args.search == "embedded":
        settings.SEARCH_BACKEND, settings.ELASTICSEARCH_URL = "embedded", ""
        settings.SEARCH_EMBEDDED_PATH = tmp / "search-index"
    else:
        settings.SEARCH_BACKEND, settings.SEARCH_INDEX_PREFIX = "elasticsearch", prefix
    if connection.vendor == "sqlite":
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(tmp / "bench.sqlite3")
    setup_test_environment(debug=False)
    old = setup_databases(verbosity=0, interactive=False)
    server = None
    try:
        paths = prepare(args.n)
        db = settings.DATABASES["default"]
        if connection.vendor == "sqlite":
            database_url = f"sqlite:///{db['NAME']}"
        else:
            database_url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        env = dict(os.environ, DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DJANGO_BENCH="1",
                   DATABASE_URL=database_url, REDIS_URL=redis_url, CACHE_KEY_PREFIX=prefix,
                   RATELIMIT_ENABLE="0", DJANGO_SECURE_SSL_REDIRECT="0", SEARCH_BACKEND=args.search,
                   SEARCH_EMBEDDED_PATH=str(tmp / "search-index"), SEARCH_INDEX_PREFIX=prefix,
                   VAR_DIR=str(tmp / "var"), DJANGO_ALLOWED_HOSTS="127.0.0.1")
        # DEBUG off serves hashed, compressed static files from STATIC_ROOT (whitenoise's manifest).
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                       check=True)
        port = free_port()
        server = Server(env, port, tmp / "gunicorn.log")
        server.wait_ready()
        load = os.getloadavg()
        print(f"# web benchmark: {connection.vendor}, search {args.search}, {args.n} imported listings, "
              f"gunicorn 2 workers, {args.clients} clients x {args.seconds:g}s per page; "
              f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
        print(f"{'page':<44} {'warm ms':>8} {'RPS':>8} {'p50 ms':>8} {'p95 ms':>8} {'x bare':>7} {'errors':>6}")
        bare_rps = None
        for label, path in paths:
            warm = warm_time(port, path)
            rps, p50, p95, errors = drive(port, path, args.clients, args.seconds)
            bare_rps = bare_rps or rps
            print(f"{label[:44]:<44} {warm * 1000:8.1f} {rps:8.1f} {p50 * 1000:8.1f} {p95 * 1000:8.1f} "
                  f"{rps / bare_rps:7.3f} {errors:6d}", flush=True)
        load = os.getloadavg()
        print(f"# load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    finally:
        if server:
            server.stop()
            if sys.exc_info()[0] is not None:
                print("gunicorn log (tail):\n" + "\n".join(server.log_path.read_text().splitlines()[-30:]))
        teardown_databases(old, verbosity=0)
        if args.search == "elasticsearch":
            from search.backends import get_backend

            try:
                get_backend().drop()
            except Exception as exc:  # noqa: BLE001 — clean-up is best effort; say what was left
                print(f"indices {prefix}-* not deleted: {exc}")
        shutil.rmtree(tmp, ignore_errors=True)


def prepare(n: int) -> list[tuple[str, str]]:
    from django.core.management import call_command
    from import_bench import records

    from marketplace.listings.importing import import_listings
    from marketplace.listings.models import AchievementIndexPage, DemandIndexPage, DemandPage, PilotBaseIndexPage

    started = time.perf_counter()
    call_command("load_demo", force=True, verbosity=0)  # a throw-away test database
    print(f"demo data loaded in {time.perf_counter() - started:.1f}s", flush=True)
    started = time.perf_counter()
    result = _import_queueing_side_effects(import_listings, records(n, "web"))
    assert result.ok, result.errors[:3]
    print(f"{n} listings imported and published in {time.perf_counter() - started:.1f}s", flush=True)
    started = time.perf_counter()
    from search.services import reindex_all

    indexed = reindex_all().indexed
    print(f"search index rebuilt in bulk ({indexed} documents) in {time.perf_counter() - started:.1f}s", flush=True)
    demand = DemandPage.objects.live().public().filter(external_id__startswith="demo-").first() \
        or DemandPage.objects.live().public().first()
    achievement_index = AchievementIndexPage.objects.get()
    sample = achievement_index.listing_model.objects.live().public().filter(county__isnull=False).first()
    index_urls = [model.objects.get().url for model in (AchievementIndexPage, DemandIndexPage,
                                                         PilotBaseIndexPage)]
    return page_paths(demand.pk, demand.url, sample.field.slug, sample.county.slug, index_urls, "铝合金")


def _import_queueing_side_effects(import_listings, lines):
    """Import as production does (import_bench.queue_tasks_in_memory: match alerts for 100k listings run inline
    would take hours). No worker runs the queue here, so the caller rebuilds the search index in bulk."""
    from import_bench import queue_tasks_in_memory

    from config.celery import app as celery_app

    previous = queue_tasks_in_memory()
    try:
        return import_listings(lines, publish=True)
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = previous


if __name__ == "__main__":
    main()
