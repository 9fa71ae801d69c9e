"""How apps above listings add to its public lists without listings importing them: a filter (chips on the
list page, applied to the queryset), an ordering (a "sort" choice) and badges on cards and pages.
marketplace.programs registers the 科技成果评价 level here, for example."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet


@dataclass(frozen=True)
class ListFilter:
    key: str  # the query parameter
    label: str
    models: tuple[type, ...]  # the listing models it applies to
    options: Callable[[], list[tuple[str, str]]]  # (value, label)
    apply: Callable[[QuerySet, str], QuerySet]  # called only with a value from options()


@dataclass(frozen=True)
class ListOrdering:
    key: str  # the value of ?sort=
    label: str
    models: tuple[type, ...]
    apply: Callable[[QuerySet], QuerySet]


FILTERS: list[ListFilter] = []
ORDERINGS: list[ListOrdering] = []
BADGES: list[Callable[[object], list[str]]] = []  # page -> short labels shown as badges
# pages -> None: what BADGES read, fetched for a whole list in one query and kept on each page (no N+1).
BADGE_LOADERS: list[Callable[[list], None]] = []


def register_filter(item: ListFilter) -> None:
    FILTERS[:] = [f for f in FILTERS if f.key != item.key] + [item]


def register_ordering(item: ListOrdering) -> None:
    ORDERINGS[:] = [o for o in ORDERINGS if o.key != item.key] + [item]


def register_badges(function: Callable[[object], list[str]]) -> None:
    if function not in BADGES:
        BADGES.append(function)


def register_badge_loader(function: Callable[[list], None]) -> None:
    if function not in BADGE_LOADERS:
        BADGE_LOADERS.append(function)


def load_badges(pages: list) -> list:
    """The pages of a list, with what their badges need loaded in one query per loader."""
    for function in BADGE_LOADERS:
        function(pages)
    return pages


def _href(params, key: str, value: str) -> str:
    """The list's query string with `key` set to `value` (removed when empty), back on the first page."""
    query = {k: v for k, v in params.items() if k not in (key, "page")}
    if value:
        query[key] = value
    return "?" + urlencode(query)


def apply_extensions(model: type, qs: QuerySet, params) -> tuple[QuerySet, list[dict], list[dict]]:
    """The queryset with the registered filters and the chosen ordering applied, and what the page shows
    for them: [{"key", "label", "value", "all", "options": [(value, label, href)]}] and
    [{"key", "label", "on", "href"}]."""
    shown_filters = []
    for item in FILTERS:
        if model not in item.models:
            continue
        options = item.options()
        value = params.get(item.key) or ""
        if value not in {v for v, _label in options}:
            value = ""
        if value:
            qs = item.apply(qs, value)
        shown_filters.append({"key": item.key, "label": item.label, "value": value, "all": _href(params, item.key, ""),
                              "options": [(v, label, _href(params, item.key, v)) for v, label in options]})
    shown_orderings = []
    chosen = params.get("sort") or ""
    for item in ORDERINGS:
        if model not in item.models:
            continue
        if item.key == chosen:
            qs = item.apply(qs)
        shown_orderings.append({"key": item.key, "label": item.label, "on": item.key == chosen,
                                "href": _href(params, "sort", item.key)})
    return qs, shown_filters, shown_orderings


def badges_for(page) -> list[str]:
    return [label for function in BADGES for label in function(page)]
