"""Search test fixtures: a fresh index per test, on either backend.

The Elasticsearch runs use the real node at ELASTICSEARCH_URL (default http://127.0.0.1:9200) with an
index prefix unique to this test session (and to each test), and delete their indices afterwards."""

import itertools
import os
import uuid

import pytest

from tests.conftest import require_service

ES_URL = os.environ.get("ELASTICSEARCH_URL") or "http://127.0.0.1:9200"
SESSION_PREFIX = f"test-{uuid.uuid4().hex[:8]}"
_n = itertools.count(1)


def elasticsearch_status(url: str = ES_URL) -> tuple[bool, str]:
    from elasticsearch import Elasticsearch

    try:
        info = Elasticsearch(url, request_timeout=5, max_retries=0).info()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return (
            False,
            f"{url} did not answer ({exc.__class__.__name__}); start it with services/elasticsearch.sh start",
        )
    return True, info["version"]["number"]


@pytest.fixture(autouse=True)
def _embedded_index_in_tmp(settings, tmp_path):
    """Never touch the developer's var/search-index: every test starts on an empty embedded index."""
    settings.SEARCH_BACKEND = "embedded"
    settings.SEARCH_EMBEDDED_PATH = tmp_path / "search-index"


def use_elasticsearch(settings, url: str = ES_URL) -> str:
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = url
    settings.SEARCH_INDEX_PREFIX = f"{SESSION_PREFIX}-{next(_n)}"
    return settings.SEARCH_INDEX_PREFIX


def drop_elasticsearch_indices(backend) -> None:
    if backend.name == "elasticsearch":
        try:
            backend.drop()
        except Exception:  # noqa: BLE001 - cleanup after a node outage test must not mask the result
            pass


@pytest.fixture(params=["embedded", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def backend(request, settings):
    """An empty index on each backend in turn; the same tests run against both."""
    from search.backends import get_backend

    if request.param == "elasticsearch":
        available, reason = elasticsearch_status()
        require_service("Elasticsearch", available, reason)
        use_elasticsearch(settings)
    backend = get_backend()
    backend.reset()
    yield backend
    drop_elasticsearch_indices(backend)


@pytest.fixture
def dead_elasticsearch(settings):
    """Point the search layer at a loopback port where nothing listens: a real refused connection."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # The port is closed again before use; nothing else on this machine is told to listen on it.
    use_elasticsearch(settings, f"http://127.0.0.1:{port}")
    return port
