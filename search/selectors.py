"""Reads for the search page: run a search and join the hits with the live pages they stand for."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from marketplace.core import cache as shared_cache
from marketplace.listings.choices import MaturityStage, TransferMode
from marketplace.taxonomy.models import County, IndustryField

from .backends import SearchHit, get_backend
from .backends.base import FACET_FIELDS, MAX_WINDOW
from .documents import kinds
from .tokenizing import highlight_html

FACET_TITLES = {
    "type": _("类型"),
    "field": _("领域"),
    "county": _("县(市、区)"),
    "stage": _("成熟度"),
    "transfer_modes": _("转化方式"),
}
# URL parameter for each facet (short names in links).
FACET_PARAMS = {
    "type": "type",
    "field": "field",
    "county": "county",
    "stage": "stage",
    "transfer_modes": "mode",
}


def facet_labels() -> dict[str, dict[str, str]]:
    return {
        "type": {k: str(kind.label) for k, kind in kinds().items()},
        "field": dict(IndustryField.objects.values_list("slug", "name")),
        "county": dict(County.objects.values_list("slug", "name")),
        "stage": {k: str(v) for k, v in MaturityStage.choices},
        "transfer_modes": {k: str(v) for k, v in TransferMode.choices},
    }


@dataclass
class ResultRow:
    page: Page  # a listing, a challenge or an event
    type: str
    type_label: str
    score: float
    title_html: str = ""
    snippet_html: str = ""


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchPage:
    rows: list[ResultRow]
    total: int
    page: int
    per_page: int
    num_pages: int
    facets: list[tuple[str, str, str, list[FacetValue]]] = field(default_factory=list)  # (name, param, title, values)
    # Hits whose page is no longer public: the view queues their removal (a selector never writes).
    stale_ids: list[int] = field(default_factory=list)


def _live_pages(hits: list[SearchHit]) -> dict[int, Page]:
    """The hits' pages that are public right now (one query per indexed kind)."""
    found: dict[int, Page] = {}
    by_type: dict[str, list[int]] = {}
    for hit in hits:
        by_type.setdefault(hit.type, []).append(hit.id)
    registered = kinds()
    for type_name, ids in by_type.items():
        kind = registered.get(type_name)
        if kind is not None:
            found.update({p.pk: p for p in kind.public().filter(pk__in=ids)})
    return found


def search_listings_cached(
    query: str, filters: dict[str, Any], sort: str = "relevance", page: int = 1, per_page: int = 10
) -> SearchPage:
    """search_listings, shared for a short while between visitors asking the same thing. The key holds the
    search-index and publication generations and the language (facet labels and snippets are text), so a
    publish or an index write is seen by the next search. Stale ids are returned only when computed."""
    key = shared_cache.public_key("search", query, sorted(filters.items()), sort, page, per_page,
                                  generations=(shared_cache.SEARCH, shared_cache.PUBLICATION))
    result = cache.get(key)
    if result is None:
        result = search_listings(query, filters, sort=sort, page=page, per_page=per_page)
        if not result.stale_ids:  # a result with hits still to heal is not worth sharing
            cache.set(key, result, shared_cache.SEARCH_SECONDS)
    return result


def search_listings(
    query: str, filters: dict[str, Any], sort: str = "relevance", page: int = 1, per_page: int = 10
) -> SearchPage:
    """Raises search.backends.SearchError (SearchUnavailable when the backend is down). Pages that are
    no longer public are left out and named in ``stale_ids`` for the caller to pass to services.heal."""
    result = get_backend().search(query, filters=filters, facets=FACET_FIELDS, sort=sort, page=page, per_page=per_page)
    pages = _live_pages(result.hits)
    stale = [h.id for h in result.hits if h.id not in pages]
    labels = facet_labels()
    rows = []
    for hit in result.hits:
        listing = pages.get(hit.id)
        if listing is None:
            continue
        title = hit.highlights.get("title_text", [""])[0]
        snippet = hit.highlights.get("body_text", [""])[0]
        rows.append(
            ResultRow(
                page=listing,
                type=hit.type,
                type_label=labels["type"].get(hit.type, hit.type),
                score=hit.score,
                title_html=highlight_html(title) if title else "",
                snippet_html=highlight_html(snippet) if snippet else "",
            )
        )
    facets = []
    for name in FACET_FIELDS:
        chosen = {str(v) for v in (filters.get(name) or [])}
        values = [
            FacetValue(
                value=f.value,
                label=labels[name].get(f.value, f.value),
                count=f.count,
                selected=f.value in chosen,
            )
            for f in result.facets.get(name, [])
        ]
        facets.append((name, FACET_PARAMS[name], str(FACET_TITLES[name]), values))
    reachable = min(result.total, MAX_WINDOW)
    return SearchPage(
        rows=rows,
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        num_pages=max(1, math.ceil(reachable / result.per_page)),
        facets=facets,
        stale_ids=stale,
    )


def feedback_for(page_id: int, other_ids: list[int], page_is_demand: bool) -> dict[int, set[str]]:
    """Verdicts recorded for the pairs (page, other) — keyed by the other listing's id."""
    from .models import MatchFeedback

    if not other_ids:
        return {}
    if page_is_demand:
        rows = MatchFeedback.objects.filter(demand_id=page_id, result_id__in=other_ids).values_list(
            "result_id", "verdict")
    else:
        rows = MatchFeedback.objects.filter(result_id=page_id, demand_id__in=other_ids).values_list(
            "demand_id", "verdict")
    found: dict[int, set[str]] = {}
    for other, verdict in rows:
        found.setdefault(other, set()).add(verdict)
    return found


def feedback_summary() -> dict[str, int]:
    """How many pairs carry each verdict (match_eval prints it)."""
    from django.db.models import Count

    from .models import MatchFeedback

    return dict(MatchFeedback.objects.values_list("verdict").annotate(n=Count("id")).values_list("verdict", "n"))
