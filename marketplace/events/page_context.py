"""What the event pages show beyond their own fields (registered from EventsConfig.ready())."""

from typing import Any

from django.http import HttpRequest

from marketplace.core.page_context import page_context

from .models import EventIndexPage, EventPage
from .selectors import event_page_context, public_events


@page_context(EventIndexPage)
def event_index(page: EventIndexPage, request: HttpRequest) -> dict[str, Any]:
    upcoming, past = public_events()
    return {"upcoming": upcoming, "past": past}


@page_context(EventPage)
def event_page(page: EventPage, request: HttpRequest) -> dict[str, Any]:
    return event_page_context(page, request.user)
