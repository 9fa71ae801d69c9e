"""Pick the search backend from settings: SEARCH_BACKEND = "embedded" | "elasticsearch"."""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import (
    Candidate,
    FacetCount,
    SearchBackend,
    SearchError,
    SearchHit,
    SearchResults,
    SearchUnavailable,
)

_lock = threading.Lock()
_cache: dict[tuple, SearchBackend] = {}


def _elasticsearch_options() -> dict:
    basic_auth = None
    if settings.ELASTICSEARCH_USERNAME:
        basic_auth = (settings.ELASTICSEARCH_USERNAME, settings.ELASTICSEARCH_PASSWORD)
    return {
        "api_key": settings.ELASTICSEARCH_API_KEY or None,
        "basic_auth": basic_auth,
        "replicas": settings.SEARCH_INDEX_REPLICAS,
    }


def get_backend() -> SearchBackend:
    """The configured backend, one instance per configuration (tests switch settings freely)."""
    name = settings.SEARCH_BACKEND
    if name == "elasticsearch":
        url = settings.ELASTICSEARCH_URL
        if not url:
            raise ImproperlyConfigured("SEARCH_BACKEND=elasticsearch needs ELASTICSEARCH_URL")
        key = (name, url, settings.SEARCH_INDEX_PREFIX, *_elasticsearch_options().values())
    elif name == "embedded":
        key = (name, str(settings.SEARCH_EMBEDDED_PATH))
    else:
        raise ImproperlyConfigured(f"Unknown SEARCH_BACKEND {name!r} (use 'embedded' or 'elasticsearch')")
    with _lock:
        backend = _cache.get(key)
        if backend is None:
            if name == "elasticsearch":
                from .elasticsearch import ElasticsearchBackend

                backend = ElasticsearchBackend(url, settings.SEARCH_INDEX_PREFIX, **_elasticsearch_options())
            else:
                from .embedded import EmbeddedBackend

                backend = EmbeddedBackend(settings.SEARCH_EMBEDDED_PATH)
            _cache[key] = backend
        return backend


__all__ = [
    "Candidate",
    "FacetCount",
    "SearchBackend",
    "SearchError",
    "SearchHit",
    "SearchResults",
    "SearchUnavailable",
    "get_backend",
]
