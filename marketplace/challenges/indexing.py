"""揭榜挂帅 challenges in the search index (search.documents registry): an open challenge is found by the
search page and matched against achievements like a demand. Closing or awarding it takes it out
(services queue the page through the search outbox; the push reads indexable_challenges())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from search.documents import Document, IndexedKind, build_raw_document, register_kind
from search.models import SearchOutbox
from search.services import enqueue
from search.tokenizing import split_keywords

from .models import ChallengePage
from .selectors import indexable_challenges

TYPE = "challenge"


def build_document(page: ChallengePage) -> Document:
    # The application deadline is the last day it makes sense to find an open call.
    last_day = min([d for d in (page.expires_at, page.application_deadline) if d], default=None)
    return build_raw_document(
        id=page.pk,
        type=TYPE,
        title=page.title,
        keywords=split_keywords(page.keywords),
        body="\n".join([page.problem, page.goals]),
        summary=page.problem[:160],
        url=page.get_url() or "",
        field=page.field.slug,
        field_name=page.field.name,
        county=page.county.slug if page.county else "",
        county_name=page.county.name if page.county else "",
        budget_max=page.bounty,  # the bounty is what the enterprise offers: it reads as a budget
        organization=page.organization.name,
        organization_id=page.organization_id,
        published_at=page.first_published_at or page.last_published_at,
        expires=last_day,
    )


def register() -> None:
    register_kind(IndexedKind(type=TYPE, model=ChallengePage, label=_("揭榜挂帅"), public=indexable_challenges,
                              build=build_document, demand_side=True))


def reindex_challenge(page_id: int, reason: str) -> None:
    """Queue the challenge for the index after a change of state (inside the caller's transaction)."""
    enqueue(page_id, SearchOutbox.Action.UPSERT, reason)
