"""A three-node Elasticsearch cluster, security on, loses a node while the site writes and searches.

The cluster is Elastic's own distribution started by services/elasticsearch.sh (ES_NODES=3) on free
loopback ports with its own home under var/, so other test runs sharing the usual node are not disturbed.
The site talks to it as production would: a list of node URLs and an API key made for the site, never the
superuser. The index has one replica, so every document lives on two nodes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from marketplace.listings.models import AchievementPage, DemandPage
from search.backends import get_backend
from search.models import SearchOutbox
from tests.conftest import require_service

from .conftest import drop_elasticsearch_indices, use_elasticsearch
from .helpers import publish, titles

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]
ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "services" / "elasticsearch.sh"
NODES = 3
PASSWORD = f"pw-{uuid.uuid4().hex[:12]}"


def _ports_free(first: int, count: int) -> bool:
    for port in range(first, first + count):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def _free_base_port() -> int:
    """A base port whose NODES HTTP ports and NODES transport ports (base+100…) are all free."""
    for base in range(19200, 19900, 10):
        if _ports_free(base, NODES) and _ports_free(base + 100, NODES):
            return base
    raise RuntimeError("no free loopback ports for a test cluster")


class Cluster:
    def __init__(self, home: Path, port: int) -> None:
        self.port = port
        self.env = {
            **os.environ,
            "ES_HOME": str(home),
            "ES_PORT": str(port),
            "ES_NODES": str(NODES),
            "ES_HEAP": "384m",
            "ES_SECURITY": "true",
            "ES_CLUSTER_NAME": f"test-{os.getpid()}",
            "ES_PASSWORD": PASSWORD,
        }
        self.urls = [f"http://127.0.0.1:{port + i}" for i in range(NODES)]
        self.admin = Elasticsearch(self.urls, basic_auth=("techmarket_admin", PASSWORD), request_timeout=30)

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(SCRIPT), *args], env=self.env, capture_output=True, text=True, timeout=600)

    def wait_for(self, status: str, nodes: int, timeout: float = 240.0) -> dict:
        """Poll cluster health until it reports `status` with `nodes` nodes, or fail with the last answer."""
        deadline = time.monotonic() + timeout
        health: dict = {}
        while time.monotonic() < deadline:
            try:
                health = self.admin.cluster.health(
                    wait_for_status=status,
                    wait_for_nodes=str(nodes),
                    wait_for_no_relocating_shards=True,
                    wait_for_no_initializing_shards=True,
                    timeout="5s",
                ).body
                if not health["timed_out"]:
                    return health
            except Exception as exc:  # noqa: BLE001 - a node may be mid-election; keep polling
                health = {"error": repr(exc)}
            time.sleep(0.5)
        raise AssertionError(f"cluster never reached {status} with {nodes} nodes: {health}")


@pytest.fixture(scope="module")
def cluster():
    home = ROOT / "var" / f"test-es-cluster-{os.getpid()}"
    cluster = Cluster(home, _free_base_port())
    started = cluster.run("start")
    require_service("Elasticsearch cluster", started.returncode == 0, started.stderr[-3000:])
    try:
        yield cluster
    finally:
        cluster.run("stop")
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def site_key(cluster):
    """An API key for the site, limited to its own indices (what the README tells a deployment to make)."""
    prefix = f"cluster-{uuid.uuid4().hex[:8]}"
    key = cluster.admin.security.create_api_key(
        name="techmarket-site",
        role_descriptors={
            "site": {"indices": [{"names": [f"{prefix}-*"], "privileges": ["all"]}], "cluster": ["monitor"]}
        },
    )
    yield prefix, key["encoded"]
    cluster.admin.security.invalidate_api_key(ids=[key["id"]])


def test_security_is_on_and_the_site_key_reaches_only_its_indices(cluster, site_key):
    prefix, encoded = site_key
    anonymous = Elasticsearch(cluster.urls[0], request_timeout=30)
    with pytest.raises(Exception) as refused:
        anonymous.search(index="*")
    assert getattr(refused.value, "status_code", None) == 401 or "401" in str(refused.value)

    site = Elasticsearch(cluster.urls, api_key=encoded, request_timeout=30)
    site.index(index=f"{prefix}-probe", document={"title": "铝合金"}, refresh=True)
    assert site.count(index=f"{prefix}-probe")["count"] == 1
    with pytest.raises(Exception) as forbidden:
        site.indices.create(index="someone-else")
    assert getattr(forbidden.value, "status_code", None) == 403 or "403" in str(forbidden.value)
    site.indices.delete(index=f"{prefix}-probe")


def test_searches_answer_and_writes_survive_while_a_node_is_lost(
    cluster,
    site_key,
    settings,
    site,
    university_user,
    university,
    enterprise_user,
    enterprise,
    django_capture_on_commit_callbacks,
):
    prefix, encoded = site_key
    use_elasticsearch(settings, ",".join(cluster.urls))
    settings.SEARCH_INDEX_PREFIX = prefix
    settings.ELASTICSEARCH_API_KEY = encoded
    settings.SEARCH_INDEX_REPLICAS = 1
    backend = get_backend()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            publish(
                university_user, university, AchievementPage, title="铝合金熔体在线净化技术", keywords="铝合金,除杂"
            )
            publish(enterprise_user, enterprise, DemandPage, title="电池托盘轻量化需求", keywords="轻量化")
        cluster.wait_for("green", NODES)
        assert backend.count() == 2
        before = titles(backend.search("铝合金"))
        assert before[0] == "铝合金熔体在线净化技术"

        # Kill (SIGKILL, no goodbye) the node that holds the index's primary shard: the hardest case.
        index = next(iter(cluster.admin.indices.get_alias(name=f"{prefix}-listings").body))
        primary = next(
            shard["node"]
            for shard in cluster.admin.cat.shards(index=index, format="json").body
            if shard["prirep"] == "p"
        )
        lost = int(primary.rsplit("-", 1)[1])
        killed = cluster.run("kill-node", str(lost))
        assert killed.returncode == 0, killed.stderr

        # At once, searches keep answering: the client moves to a live node, which holds the replica.
        assert titles(backend.search("铝合金")) == before
        # The cluster notices the loss and promotes the replica; from then on writes are accepted directly.
        assert cluster.wait_for("yellow", NODES - 1)["number_of_nodes"] == NODES - 1
        written = []
        for n in range(5):
            title = f"再生铝保级利用技术第{n + 1}代"
            with django_capture_on_commit_callbacks(execute=True):
                publish(university_user, university, AchievementPage, title=title, keywords="再生铝")
            written.append(title)
            assert titles(backend.search("铝合金"))[0] == "铝合金熔体在线净化技术"
        assert not SearchOutbox.objects.filter(processed_at__isnull=True).exists(), "no write waits for a retry"

        restarted = cluster.run("start-node", str(lost))
        assert restarted.returncode == 0, restarted.stderr
        cluster.wait_for("green", NODES)
        shards = cluster.admin.cat.shards(index=index, format="json").body
        assert sorted((s["prirep"], s["state"]) for s in shards) == [("p", "STARTED"), ("r", "STARTED")]

        found = set(titles(backend.search("再生铝保级利用")))
        assert set(written) <= found, "every write made while the node was lost is found afterwards"
        assert backend.count() == 2 + len(written)
    finally:
        drop_elasticsearch_indices(backend)
