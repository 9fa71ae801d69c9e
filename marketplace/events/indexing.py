"""Events in the search index (search.documents registry): a live, public event is found by the search
page until it ends (its last day is the document's expiry); unpublishing takes it out at once."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from search.documents import Document, IndexedKind, build_raw_document, register_kind

from .models import EventPage, EventType

TYPE = "event"


def indexable_events() -> QuerySet:
    return EventPage.objects.live().public().filter(ends_at__gte=timezone.now()).select_related("county")


def build_document(page: EventPage) -> Document:
    kind_name = str(EventType(page.event_type).label).split(" ")[0]  # "对接会", a word people search for
    return build_raw_document(
        id=page.pk,
        type=TYPE,
        title=page.title,
        keywords=[kind_name],
        body="\n".join([page.summary, page.venue]),
        summary=page.summary[:160],
        url=page.get_url() or "",
        field="",
        county=page.county.slug if page.county else "",
        county_name=page.county.name if page.county else "",
        published_at=page.first_published_at or page.last_published_at,
        expires=timezone.localtime(page.ends_at).date(),
    )


def register() -> None:
    register_kind(IndexedKind(type=TYPE, model=EventPage, label=_("对接活动"), public=indexable_events,
                              build=build_document))
