"""Creating events: the events section of the site and an organizer's new event with its ticket types
(it goes live when bureau staff approve it in the moderation workflow)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.core.one_time import SubmissionKey, claim_submission, remember_submission
from marketplace.core.pages import place_new_page
from marketplace.core.sections import ensure_section

from ..models import EventIndexPage, EventPage, TicketType
from ..permissions import is_organizer


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
                 submission_token: str | SubmissionKey | None = None) -> EventPage:
    """An organizer drafts an event; it goes live when bureau staff approve it in the moderation workflow."""
    if not is_organizer(user):
        raise PermissionDenied(_("只有活动组织方可以创建活动。"))
    if not tickets:
        raise ValidationError(_("至少需要一个票种（免费票的价格填0）。"))
    submission = claim_submission(submission_token, user)
    parent = ensure_event_index()
    page = EventPage(owner=user, organizer=user, live=False, slug=f"event-{uuid.uuid4().hex[:10]}", **data)
    page.ticket_types = [TicketType(name=t.name, price=t.price, description=t.description) for t in tickets]
    for ticket in page.ticket_types.all():
        ticket.full_clean(exclude=["page"])
    place_new_page(parent=parent, page=page, user=user, submit=submit)
    remember_submission(submission, page)
    return page
