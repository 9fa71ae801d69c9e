"""Creating events: the events section of the site and an organizer's new event with its ticket types
(it goes live when bureau staff approve it in the moderation workflow)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.core.one_time import SubmissionKey, claim_submission, remember_submission
from marketplace.core.pages import place_new_page
from marketplace.core.sections import ensure_section

from ..models import EventGuest, EventIndexPage, EventPage, EventSession, TicketType
from ..permissions import is_organizer
from .editing import session_row_errors


@dataclass
class TicketData:
    name: str
    price: Decimal
    description: str = ""


def ensure_event_index() -> EventIndexPage:
    """The events section under the home page (created and published once)."""
    return ensure_section(EventIndexPage)


@transaction.atomic
def create_event(*, user: User, data: dict, tickets: list[TicketData], submit: bool = True,
                 submission_token: str | SubmissionKey | None = None, sessions: Sequence = (),
                 guests: Sequence = ()) -> EventPage:
    """An organizer drafts an event; it goes live when bureau staff approve it in the moderation workflow.

    ``sessions`` and ``guests``: agenda items and invited guests, objects with the fields of
    editing.SessionRow and editing.GuestRow (the create page's formset rows)."""
    if not is_organizer(user):
        raise PermissionDenied(_("只有活动组织方可以创建活动。"))
    if not tickets:
        raise ValidationError(_("至少需要一个票种（免费票的价格填0）。"))
    submission = claim_submission(submission_token, user)
    parent = ensure_event_index()
    page = EventPage(owner=user, organizer=user, live=False, slug=f"event-{uuid.uuid4().hex[:10]}", **data)
    page.ticket_types = [TicketType(name=t.name, price=t.price, description=t.description, sort_order=order)
                         for order, t in enumerate(tickets)]
    late = session_row_errors(list(sessions), starts_at=page.starts_at, ends_at=page.ends_at)
    if late:
        raise ValidationError([f"{sessions[i].title}：{message}" for i, _field, message in late])
    page.sessions = [EventSession(starts_at=s.starts_at, ends_at=s.ends_at, title=s.title, speaker=s.speaker,
                                  place=s.place, sort_order=order) for order, s in enumerate(sessions)]
    page.guests = [EventGuest(name=g.name, affiliation=g.affiliation, title=g.title, sort_order=order)
                   for order, g in enumerate(guests)]
    for child in [*page.ticket_types.all(), *page.sessions.all(), *page.guests.all()]:
        child.full_clean(exclude=["page"])
    place_new_page(parent=parent, page=page, user=user, submit=submit)
    remember_submission(submission, page)
    return page
