"""The one search interface. Two implementations: embedded (tantivy on disk) and Elasticsearch.

Both receive the same documents (search.documents) and the same query tokens (search.tokenizing),
build the same query shape (a boolean OR of per-token, per-field term queries with field boosts,
scored by BM25), and must pass the same contract tests (tests/search/test_contract.py)."""

from __future__ import annotations

import abc
import datetime as dt
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

from search.documents import Document

# Text fields and their boosts; identical in both backends so they rank alike.
TEXT_BOOSTS: dict[str, float] = {"title_text": 3.0, "keywords_text": 2.5, "body_text": 1.0, "subwords": 0.5}
# Matching needs whole shared words (a sub-word alone never makes a match), so candidates skip subwords.
MATCH_BOOSTS: dict[str, float] = {k: v for k, v in TEXT_BOOSTS.items() if k != "subwords"}
HIGHLIGHT_FIELDS = ("title_text", "body_text")
FACET_FIELDS = ("type", "field", "county", "stage", "transfer_modes")
# Filterable keyword fields (a list of values is an OR inside the field, fields are ANDed).
FILTER_FIELDS = (*FACET_FIELDS, "industries", "organization_id")
SORTS = ("relevance", "newest", "trl", "price")
MAX_PER_PAGE = 100
MAX_WINDOW = 10_000  # deepest result a query may page to (Elasticsearch's max_result_window)
NO_EXPIRY = dt.date(9999, 12, 31)


class SearchError(Exception):
    """A search-layer failure the user must not see as a 500."""


class SearchUnavailable(SearchError):
    """The backend cannot be reached or refused the request; writes stay in the outbox."""


@dataclass
class SearchHit:
    id: int
    type: str
    score: float
    highlights: dict[str, list[str]] = field(default_factory=dict)  # text with HL_START/HL_END markers
    source: dict[str, Any] = field(default_factory=dict)


@dataclass
class FacetCount:
    value: str
    count: int


@dataclass
class SearchResults:
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[FacetCount]]
    page: int
    per_page: int
    took_ms: float = 0.0


@dataclass
class Candidate:
    id: int
    score: float
    source: dict[str, Any]


Filters = Mapping[str, Any]
# Query tokens, each optionally with a weight (thesaurus expansions, specificity); the weight multiplies
# the field boost identically in both backends.
QueryTokens = Sequence[str | tuple[str, float]]


SEARCH_EXPANSION_SHARE = 0.5  # a thesaurus term ranks below the words the user typed


def search_tokens(query: str) -> list[tuple[str, float]]:
    """The user's words (weight 1) plus domain-thesaurus expansions at half their weight, so an English
    or plain-language query ("aluminium lightweighting", "跑冒滴漏") finds the Chinese technical terms."""
    from search import thesaurus
    from search.tokenizing import query_tokens

    tokens = query_tokens(query)
    out = [(t, 1.0) for t in tokens]
    if query.strip():
        for e in thesaurus.expand(query, tokens, general=False):
            out.extend((t, e.weight * SEARCH_EXPANSION_SHARE) for t in e.tokens)
    return out


def weighted(tokens: QueryTokens) -> list[tuple[str, float]]:
    """(token, weight) pairs, weight > 0, one per token (the highest weight wins)."""
    best: dict[str, float] = {}
    for item in tokens:
        token, weight = (item, 1.0) if isinstance(item, str) else (item[0], float(item[1]))
        if token and weight > 0 and weight > best.get(token, 0.0):
            best[token] = weight
    return list(best.items())
Progress = Callable[[int], None]


class SearchBackend(abc.ABC):
    name: str

    @abc.abstractmethod
    def index_documents(self, docs: Iterable[Document]) -> int:
        """Add or replace documents (by id). Returns how many were written."""

    @abc.abstractmethod
    def delete(self, ids: Iterable[int]) -> None:
        """Remove documents by id; unknown ids are ignored."""

    def search(
        self,
        query: str,
        filters: Filters | None = None,
        facets: Sequence[str] = FACET_FIELDS,
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 10,
    ) -> SearchResults:
        """Full-text search over live, unexpired documents with facet counts and highlights.

        An empty query matches every document (the filters still apply). The input rules (tokens,
        paging bounds, sort names) live here once; each backend only runs the prepared query."""
        started = time.perf_counter()
        text = self._text_query(search_tokens(query))
        if query.strip() and text is None:  # only punctuation: nothing can match
            return SearchResults(hits=[], total=0, facets={f: [] for f in facets}, page=1, per_page=per_page)
        page, per_page, offset = clamp_paging(page, per_page)
        sort = check_sort(sort)
        if sort == "relevance" and text is None:
            sort = "newest"
        hits, total, facet_counts = self._execute_search(
            text, normalize_filters(filters), facets, sort, offset, per_page
        )
        took = (time.perf_counter() - started) * 1000
        return SearchResults(hits=hits, total=total, facets=facet_counts, page=page, per_page=per_page, took_ms=took)

    @abc.abstractmethod
    def _text_query(self, tokens: QueryTokens) -> Any | None:
        """The backend's full-text query for these tokens, or None when there are none."""

    @abc.abstractmethod
    def _execute_search(
        self, text: Any | None, filters: dict[str, list[Any]], facets: Sequence[str], sort: str, offset: int,
        per_page: int,
    ) -> tuple[list[SearchHit], int, dict[str, list[FacetCount]]]:
        """Run a prepared search: (hits of this page, total, facet counts)."""

    @abc.abstractmethod
    def candidates(
        self, tokens: QueryTokens, type: str, filters: Filters | None = None, size: int = 100
    ) -> list[Candidate]:
        """BM25 candidates for matching: documents of ``type`` sharing any of ``tokens`` (plain or
        (token, weight) pairs), best first."""

    @abc.abstractmethod
    def reindex(self, docs: Iterable[Document], progress: Progress | None = None) -> int:
        """Build a fresh index from ``docs`` and switch readers to it atomically (zero downtime)."""

    @abc.abstractmethod
    def reset(self) -> None:
        """Drop everything and start from an empty index."""

    @abc.abstractmethod
    def count(self) -> int:
        """Number of documents in the index."""

    @abc.abstractmethod
    def health(self) -> dict[str, Any]:
        """{"ok": bool, "backend": name, "detail": str, ...}; never raises."""


# ---- helpers both backends share -----------------------------------------------------------------


def to_fen(amount: Decimal | None) -> int | None:
    """Money as integer fen (1/100 CNY) in the index: exact, sortable, no float."""
    if amount is None:
        return None
    return int((Decimal(amount) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def from_fen(value: int | None) -> Decimal | None:
    return None if value is None else (Decimal(int(value)) / 100).quantize(Decimal("0.01"))


def today_ordinal() -> int:
    return timezone.localdate().toordinal()


def expires_ordinal(expires: dt.date | str | None) -> int:
    if isinstance(expires, str):
        expires = dt.date.fromisoformat(expires)
    return (expires or NO_EXPIRY).toordinal()


def normalize_filters(filters: Filters | None) -> dict[str, list[Any]]:
    """Keep known fields only; each value becomes a list of non-empty strings/ints."""
    result: dict[str, list[Any]] = {}
    for name, value in (filters or {}).items():
        if name == "exclude_ids":
            ids = [int(v) for v in (value or [])]
            if ids:
                result[name] = ids
            continue
        if name not in FILTER_FIELDS or value in (None, "", [], ()):
            continue
        values = value if isinstance(value, list | tuple | set | frozenset) else [value]
        cleaned = [v for v in values if v not in (None, "")]
        if cleaned:
            result[name] = [int(v) if name == "organization_id" else str(v) for v in cleaned]
    return result


def clamp_paging(page: int, per_page: int) -> tuple[int, int, int]:
    """(page, per_page, offset) within the engine's window."""
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, int(page))
    max_page = max(1, MAX_WINDOW // per_page)
    page = min(page, max_page)
    return page, per_page, (page - 1) * per_page


def check_sort(sort: str) -> str:
    return sort if sort in SORTS else "relevance"


def source_fields(doc: Document) -> dict[str, Any]:
    """The stored part of a document returned with hits (JSON-safe: money as fen, dates ISO)."""
    published = doc.get("published_at")
    expires = doc.get("expires")
    return {
        "id": doc["id"],
        "type": doc["type"],
        "title": doc["title"],
        "url": doc.get("url", ""),
        "summary": doc.get("summary", ""),
        "keywords": doc.get("keywords", []),
        "title_text": doc.get("title_text", ""),
        "keywords_text": doc.get("keywords_text", ""),
        "body_text": doc.get("body_text", ""),
        "field": doc.get("field", ""),
        "field_name": doc.get("field_name", ""),
        "county": doc.get("county", ""),
        "county_name": doc.get("county_name", ""),
        "trl": doc.get("trl"),
        "stage": doc.get("stage", ""),
        "transfer_modes": doc.get("transfer_modes", []),
        "price_fen": to_fen(doc.get("price")),
        "price_negotiable": bool(doc.get("price_negotiable")),
        "budget_min_fen": to_fen(doc.get("budget_min")),
        "budget_max_fen": to_fen(doc.get("budget_max")),
        "industries": doc.get("industries", []),
        "organization": doc.get("organization", ""),
        "organization_id": doc.get("organization_id"),
        "external_id": doc.get("external_id", ""),
        "published_at": published.isoformat() if published else None,
        "expires": expires.isoformat() if expires else None,
    }
