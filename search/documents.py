"""A listing page → the flat dict both search backends index. One builder, so both index the same."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from marketplace.listings.choices import stage_for_trl
from marketplace.listings.models import AchievementPage, DemandPage, ListingPage, PilotBasePage
from marketplace.listings.selectors import public_listings

from . import tokenizing

TYPE_FOR_MODEL: dict[type[ListingPage], str] = {
    AchievementPage: "achievement",
    DemandPage: "demand",
    PilotBasePage: "pilot_base",
}
MODEL_FOR_TYPE = {v: k for k, v in TYPE_FOR_MODEL.items()}
LISTING_TYPES = tuple(MODEL_FOR_TYPE)
SNIPPET_CHARS = 160

Document = dict[str, Any]


@dataclass(frozen=True)
class IndexedKind:
    """One kind of page the search index holds. The three listing kinds are declared below; apps above
    search (揭榜挂帅 challenges, events) register theirs in their AppConfig.ready() (search may not import
    them), and everything that indexes, heals or labels search hits goes through this registry."""

    type: str
    model: type[Page]
    label: Any  # lazy text shown on the search page's type filter
    public: Callable[[], QuerySet]  # the pages that belong in the index now (live, public, open, unexpired)
    build: Callable[[Any], Document]
    prefetch: tuple[str, ...] = ()
    demand_side: bool = False  # an enterprise's problem: matched against achievements like a demand


_KINDS: dict[str, IndexedKind] = {}


def register_kind(kind: IndexedKind) -> None:
    _KINDS[kind.type] = kind


def kinds() -> dict[str, IndexedKind]:
    """Every indexed kind by type name, listings first, in registration order."""
    return dict(_KINDS)


def kind_of(page: Any) -> IndexedKind | None:
    for kind in _KINDS.values():
        if type(page) is kind.model:
            return kind
    return None


def indexed_models() -> tuple[type[Page], ...]:
    return tuple(kind.model for kind in _KINDS.values())


def is_demand_side(page: Any) -> bool:
    kind = kind_of(page)
    return bool(kind and kind.demand_side)


def listing_type(page: ListingPage) -> str:
    return TYPE_FOR_MODEL[type(page)]


def _body(page: ListingPage) -> str:
    if isinstance(page, AchievementPage):
        ip_titles = [item.title for item in page.ip_items.all() if item.title]
        return "\n".join([page.summary, page.detail, *ip_titles])
    if isinstance(page, DemandPage):
        return page.description
    if isinstance(page, PilotBasePage):
        return "\n".join([page.capabilities, page.equipment, page.capacity])
    return ""


def _summary(page: ListingPage) -> str:
    text = {AchievementPage: "summary", DemandPage: "description", PilotBasePage: "capabilities"}
    value = getattr(page, text.get(type(page), ""), "") or ""
    return value[:SNIPPET_CHARS]


def _expires(page: ListingPage) -> dt.date | None:
    """The last day the listing is public: its expiry date, or a demand's deadline if earlier."""
    dates = [d for d in (page.expires_at, getattr(page, "deadline", None)) if d]
    return min(dates) if dates else None


def build_document(page: Any) -> Document:
    """The index document of a (specific) page of any indexed kind. Text fields are jieba-segmented."""
    if type(page) not in TYPE_FOR_MODEL:
        kind = kind_of(page)
        if kind is None:
            raise LookupError(f"{type(page).__name__} is not an indexed kind of page")
        return kind.build(page)
    return build_listing_document(page)


def build_listing_document(page: ListingPage) -> Document:
    """The index document of one of the three listing pages."""
    keywords = tokenizing.split_keywords(page.keywords)
    body = _body(page)
    trl = getattr(page, "trl", None)
    if isinstance(page, AchievementPage):
        modes = list(page.transfer_modes or [])
    elif isinstance(page, DemandPage):
        modes = list(page.cooperation_modes or [])
    else:
        modes = []
    industries = [f.slug for f in page.industries.all()] if isinstance(page, PilotBasePage) else []
    return build_raw_document(
        id=page.pk,
        type=listing_type(page),
        title=page.title,
        keywords=keywords,
        body=body,
        summary=_summary(page),
        url=page.get_url() or "",
        field=page.field.slug,
        field_name=page.field.name,
        county=page.county.slug if page.county else "",
        county_name=page.county.name if page.county else "",
        trl=trl,
        transfer_modes=modes,
        price=getattr(page, "price", None),
        price_negotiable=bool(getattr(page, "price_negotiable", False)),
        budget_min=getattr(page, "budget_min", None),
        budget_max=getattr(page, "budget_max", None),
        industries=industries,
        organization=page.organization.name,
        organization_id=page.organization_id,
        external_id=getattr(page, "external_id", "") or "",
        published_at=page.first_published_at or page.last_published_at,
        expires=_expires(page),
    )


def _stage(trl: int | None) -> str:
    stage = stage_for_trl(trl) if trl else None
    return str(getattr(stage, "value", stage or ""))


def build_raw_document(
    *,
    id: int,
    type: str,
    title: str,
    keywords: list[str],
    body: str,
    summary: str = "",
    url: str = "",
    field: str,
    field_name: str = "",
    county: str = "",
    county_name: str = "",
    trl: int | None = None,
    transfer_modes: list[str] = (),
    price: Decimal | None = None,
    price_negotiable: bool = False,
    budget_min: Decimal | None = None,
    budget_max: Decimal | None = None,
    industries: list[str] = (),
    organization: str = "",
    organization_id: int | None = None,
    external_id: str = "",
    published_at: dt.datetime | None = None,
    expires: dt.date | None = None,
) -> Document:
    """The document from plain values (the page builder above and the benchmark both use it)."""
    title_tokens = tokenizing.segment(title)
    keyword_tokens = [t for k in keywords for t in tokenizing.segment(k)]
    body_tokens = tokenizing.segment(body)
    return {
        "id": int(id),
        "type": type,
        "title": title,
        "url": url,
        "summary": summary,
        "keywords": list(keywords),
        "title_text": " ".join(title_tokens),
        "keywords_text": " ".join(keyword_tokens),
        "body_text": " ".join(body_tokens),
        "subwords": " ".join(tokenizing.subwords_of([*title_tokens, *keyword_tokens, *body_tokens])),
        "field": field,
        "field_name": field_name,
        "county": county,
        "county_name": county_name,
        "trl": trl,
        "stage": _stage(trl),
        "transfer_modes": list(transfer_modes),
        "price": price,
        "price_negotiable": price_negotiable,
        "budget_min": budget_min,
        "budget_max": budget_max,
        "industries": list(industries),
        "organization": organization,
        "organization_id": organization_id,
        "external_id": external_id,
        "published_at": published_at,
        "expires": expires,
    }


def document_tokens(doc: Document) -> set[str]:
    """Every token of a document's text fields (for shared-term reasons)."""
    return set(" ".join([doc.get("title_text", ""), doc.get("keywords_text", ""), doc.get("body_text", "")]).split())


for _type, _label, _prefetch, _demand in (
    ("achievement", _("科技成果"), ("ip_items",), False),
    ("demand", _("技术需求"), (), True),
    ("pilot_base", _("中试基地"), ("industries",), False),
):
    register_kind(IndexedKind(
        type=_type, model=MODEL_FOR_TYPE[_type], label=_label,
        public=(lambda model=MODEL_FOR_TYPE[_type]: public_listings(model)),
        build=build_listing_document, prefetch=_prefetch, demand_side=_demand,
    ))
