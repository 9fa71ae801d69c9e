"""Elasticsearch goes down and comes back: every change made meanwhile reaches search.

This test stops and starts a node with services/elasticsearch.sh. So that other test runs sharing
the usual node (ELASTICSEARCH_URL) are not disturbed, it runs its own node on a free loopback port
with its own ES_HOME under var/ (the unprivileged user that runs Elasticsearch must reach it; pytest's
temporary folders are private to the user running the tests). Set SEARCH_OUTAGE_ES_PORT to choose the port."""

import io
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from marketplace.listings import services as listing_services
from marketplace.listings.models import AchievementPage, DemandPage
from search.backends import get_backend
from search.models import SearchOutbox
from tests.conftest import require_service

from .conftest import drop_elasticsearch_indices, use_elasticsearch
from .helpers import edit_and_publish, publish, titles

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]
SCRIPT = Path(__file__).resolve().parents[2] / "services" / "elasticsearch.sh"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Node:
    def __init__(self, home: Path, port: int) -> None:
        self.port = port
        self.env = {**os.environ, "ES_PORT": str(port), "ES_HOME": str(home), "ES_HEAP": "512m"}

    def run(self, action: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(SCRIPT), action], env=self.env, capture_output=True, text=True, timeout=300)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def node():
    port = int(os.environ.get("SEARCH_OUTAGE_ES_PORT") or _free_port())
    home = SCRIPT.parents[1] / "var" / f"test-es-outage-{os.getpid()}"
    node = Node(home, port)
    started = node.run("start") if SCRIPT.exists() else None
    ok = started is not None and started.returncode == 0
    require_service(
        "Elasticsearch",
        ok,
        "services/elasticsearch.sh start failed: "
        + (started.stderr[-2000:] if started is not None else f"{SCRIPT} is missing"),
    )
    assert f"elasticsearch ready on {node.url}" in started.stdout
    yield node
    node.run("stop")
    shutil.rmtree(home, ignore_errors=True)


def test_changes_during_an_outage_reach_search_after_search_sync(
    node,
    settings,
    site,
    university_user,
    university,
    enterprise_user,
    enterprise,
    django_capture_on_commit_callbacks,
):
    use_elasticsearch(settings, node.url)
    backend = get_backend()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            edited = publish(university_user, university, AchievementPage)
            withdrawn = publish(enterprise_user, enterprise, DemandPage)
            deleted = publish(university_user, university, AchievementPage, title="铝合金熔体在线净化技术")
        assert backend.count() == 3

        stopped = node.run("stop")
        assert stopped.returncode == 0, stopped.stderr
        assert node.run("status").returncode != 0

        # While search is down every write still succeeds; the outbox keeps what search must learn.
        with django_capture_on_commit_callbacks(execute=True):
            edit_and_publish(edited, title="镁合金一体化压铸车身技术", keywords="镁合金,压铸")
            listing_services.withdraw_listing(user=enterprise_user, page=withdrawn)
            AchievementPage.objects.get(pk=deleted.pk).delete()
            added = publish(
                university_user,
                university,
                AchievementPage,
                title="再生铝保级利用技术",
                keywords="再生铝,保级利用",
            )
        assert AchievementPage.objects.get(pk=edited.pk).title == "镁合金一体化压铸车身技术"
        pending = set(SearchOutbox.objects.filter(processed_at__isnull=True).values_list("page_id", flat=True))
        assert pending == {edited.pk, withdrawn.pk, deleted.pk, added.pk}
        assert SearchOutbox.objects.filter(processed_at__isnull=True, attempts__gte=1).exists()

        restarted = node.run("start")
        assert restarted.returncode == 0, restarted.stderr
        out = io.StringIO()
        call_command("search_sync", stdout=out)
        assert "0 pending" in out.getvalue()

        assert titles(backend.search("镁合金")) == ["镁合金一体化压铸车身技术"]
        assert titles(backend.search("再生铝")) == ["再生铝保级利用技术"]
        assert backend.search("电池托盘").total == 0, "the withdrawn demand is gone"
        assert backend.search("熔体").total == 0, "the deleted achievement is gone"
        assert {h.id for h in backend.search("").hits} == {edited.pk, added.pk}
    finally:
        drop_elasticsearch_indices(backend)
