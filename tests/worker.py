"""A real Celery worker for the tests that need one: a subprocess started once per test session against
this run's own test database and the loopback Redis broker (database 2), serving this run's own queue
(CELERY_QUEUE, set per run by services/run_tests.sh), so parallel runs never take each other's tasks.

Tests using it must commit their data, since the worker is another database connection: mark them
`django_db(transaction=True, serialized_rollback=True)` (serialized: the flush afterwards must give the next
tests back the migrations' data, e.g. Wagtail's root page and the seeded taxonomy).
`task_worker` switches this process from in-process tasks (task_always_eager) to the broker for one test."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 90


def broker_url() -> str:
    if os.environ.get("CELERY_BROKER_URL_FOR_TESTS"):
        return os.environ["CELERY_BROKER_URL_FOR_TESTS"]
    parsed = urlparse(os.environ.get("REDIS_URL") or "redis://127.0.0.1:63790/0")
    return f"redis://{parsed.hostname}:{parsed.port or 6379}/2"  # the cache uses its own database number


def redis_answers(url: str) -> tuple[bool, str]:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        return True, ""
    except redis.RedisError as error:
        return False, f"{url}: {error}"


def wait_until(condition, *, timeout: float, what: str, interval: float = 0.05):
    """Poll `condition` until it returns something truthy; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


@dataclass
class Worker:
    process: subprocess.Popen
    queue: str
    broker_url: str
    log: Path

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


def _database_url(settings_dict: dict) -> str:
    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if user else ""
    return (f"postgres://{auth}{settings_dict.get('HOST') or '127.0.0.1'}:{settings_dict.get('PORT') or 5432}"
            f"/{settings_dict['NAME']}")


@pytest.fixture(scope="session")
def _worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import connection

    from config.celery import app
    from jobs.heartbeat import heartbeat_key

    url = broker_url()
    ok, reason = redis_answers(url)
    require_service("Redis (Celery broker)", ok, reason)
    require_service("PostgreSQL", connection.vendor == "postgresql",
                    "the worker needs a database another process can open (set DATABASE_URL)")
    queue = app.conf.task_default_queue
    folder = tmp_path_factory.mktemp("worker")
    env = dict(os.environ, DATABASE_URL=_database_url(connection.settings_dict), CELERY_BROKER_URL=url,
               CELERY_QUEUE=queue, DJANGO_DEBUG="1", SEARCH_EMBEDDED_PATH=str(folder / "search-index"),
               PRIVATE_MEDIA_ROOT=str(folder / "private-media"), DATABASE_CONN_MAX_AGE="0")
    log = folder / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "-n", f"{queue}@127.0.0.1",
             "-P", "solo", "--without-gossip", "--without-mingle", "-I", "tests.tasks.probe_tasks",
             "--loglevel", "INFO"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    worker = Worker(process=process, queue=queue, broker_url=url, log=log)
    import redis

    client = redis.Redis.from_url(url)
    client.delete(queue)  # nothing left over from an earlier run with the same pid

    def ready():
        if process.poll() is not None:
            pytest.fail(f"the Celery worker exited with {process.returncode}:\n{worker.log_tail()}")
        return client.exists(heartbeat_key(queue))

    try:
        wait_until(ready, timeout=START_TIMEOUT, what="the Celery worker's first heartbeat", interval=0.2)
        yield worker
    finally:
        process.terminate()  # warm shutdown: finishes the task at hand
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        client.delete(queue, heartbeat_key(queue))


def use_broker(app, url: str | None, *, eager: bool) -> None:
    """Point this process's Celery app at `url`, dropping connection pools made for the previous broker (an
    eager run may already have opened one for the default URL, which would then be used instead)."""
    app.conf.broker_url = url
    app.conf.task_always_eager = eager
    app._pool = None  # what Celery itself resets after a fork (Celery._after_fork)
    if "amqp" in app.__dict__:
        app.__dict__["amqp"]._producer_pool = None


@pytest.fixture
def task_worker(_worker_process):
    """For one test: tasks go through the broker to the real worker instead of running in-process."""
    from config.celery import app

    saved_url, saved_eager = app.conf.broker_url, app.conf.task_always_eager
    use_broker(app, _worker_process.broker_url, eager=False)
    try:
        yield _worker_process
    finally:
        use_broker(app, saved_url, eager=saved_eager)
