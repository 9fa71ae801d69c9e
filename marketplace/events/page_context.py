"""What the event pages show beyond their own fields (registered from EventsConfig.ready())."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from marketplace.core.page_context import page_context

from .models import EventIndexPage, EventPage
from .selectors import event_page_context, public_events


@page_context(EventIndexPage)
def event_index(page: EventIndexPage, request: HttpRequest) -> dict[str, Any]:
    # Lazy: the template's cached fragment (marketplace.core.cache) reads them only on a miss.
    events = SimpleLazyObject(public_events)
    return {"upcoming": SimpleLazyObject(lambda: events[0]), "past": SimpleLazyObject(lambda: events[1])}


@page_context(EventPage)
def event_page(page: EventPage, request: HttpRequest) -> dict[str, Any]:
    return event_page_context(page, request.user)
