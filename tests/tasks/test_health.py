"""/healthz names the part that is down (503) and answers 200 when the database, the search engine, the broker
and a worker are all up; /metrics speaks Prometheus to loopback and bureau staff only; LOG_FORMAT=json logs JSON.
Parts are taken down by pointing the settings at a closed loopback port, never by stopping shared services."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections

from jobs.models import TaskFailure
from search.models import SearchOutbox
from tests.conftest import require_service
from tests.search.conftest import (
    dead_elasticsearch,  # noqa: F401 - shared fixture
    drop_elasticsearch_indices,
    elasticsearch_status,
    use_elasticsearch,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again on leaving; nothing is told to listen there


@pytest.fixture
def through_broker():
    """Tasks go to a broker (as in production) for one test: health then checks it and the worker."""
    from config.celery import app

    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield app
    app.conf.broker_url, app.conf.task_always_eager = saved


def test_all_parts_up_answers_200(task_worker, settings, client):
    ok, reason = elasticsearch_status()
    require_service("Elasticsearch", ok, reason)
    use_elasticsearch(settings)
    from search.backends import get_backend

    try:
        response = client.get("/healthz")
    finally:
        drop_elasticsearch_indices(get_backend())
    body = response.json()
    assert response.status_code == 200, body
    assert body["failing"] == [] and set(body["checks"]) == {"database", "search", "broker", "worker"}


def test_postgresql_unreachable_answers_503_naming_the_database(client, monkeypatch):
    monkeypatch.setitem(connections.settings["default"], "PORT", closed_port())
    monkeypatch.setitem(connections.settings["default"], "HOST", "127.0.0.1")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]


def test_elasticsearch_unreachable_answers_503_naming_search(client, dead_elasticsearch):  # noqa: F811
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["search"]


def test_redis_unreachable_answers_503_naming_the_broker(client, through_broker):
    through_broker.conf.broker_url = f"redis://127.0.0.1:{closed_port()}/2"
    response = client.get("/healthz")
    assert response.status_code == 503
    # Without the broker no worker heartbeat can be read either.
    assert response.json()["failing"] == ["broker", "worker"]


def test_no_worker_answers_503_naming_the_worker(client, through_broker):
    from tests.worker import broker_url, redis_answers

    ok, reason = redis_answers(broker_url())
    require_service("Redis", ok, reason)
    through_broker.conf.broker_url = broker_url()
    queue = through_broker.conf.task_default_queue
    through_broker.conf.task_default_queue = "a-queue-no-worker-serves"
    try:
        response = client.get("/healthz")
    finally:
        through_broker.conf.task_default_queue = queue
    assert response.status_code == 503 and response.json()["failing"] == ["worker"]


def test_metrics_count_the_outbox_backlog_and_task_failures(client):
    SearchOutbox.objects.create(page_id=1, action=SearchOutbox.Action.UPSERT)
    SearchOutbox.objects.create(page_id=2, action=SearchOutbox.Action.UPSERT)
    TaskFailure.objects.create(task_name="jobs.send_email", task_id="a", attempt=1, final=False, error="x")
    TaskFailure.objects.create(task_name="jobs.send_email", task_id="a", attempt=2, final=True, error="x")
    TaskFailure.objects.create(task_name="search.drain_outbox", task_id="b", attempt=1, final=False, error="y")
    text = client.get("/metrics").content.decode()
    assert "techmarket_search_outbox_backlog 2.0" in text
    assert 'techmarket_task_failures{final="true"} 1.0' in text
    assert 'techmarket_task_failures{final="false"} 2.0' in text
    assert "techmarket_task_queue_length 0.0" in text, "in-process tasks never wait in a queue"


def test_metrics_are_refused_to_strangers_from_outside(client, bureau_user):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    client.force_login(bureau_user)
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 200


def test_log_format_json_writes_one_json_object_per_line():
    env = dict(os.environ, LOG_FORMAT="json", DJANGO_DEBUG="1", DJANGO_SETTINGS_MODULE="config.settings")
    code = "import django, logging; django.setup(); logging.getLogger('techmarket').warning('报名 %s', 42)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60, check=True)
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert (line["message"], line["level"], line["logger"]) == ("报名 42", "WARNING", "techmarket")
    assert "time" in line
