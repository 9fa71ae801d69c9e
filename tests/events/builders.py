"""Builders for event tests: plain functions, so a test reads top to bottom."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from marketplace.events.models import EventPage, Registration, TicketType
from marketplace.events.services import creation, registrations
from marketplace.events.services.registrations import ParticipantData
from tests.factories import make_org, make_user

_seq = itertools.count(1)


def make_event(*, organizer=None, price: Decimal | str | None = None,
               tickets: list[tuple[str, str]] | None = None, publish: bool = True, **overrides) -> EventPage:
    """A published event whose registration is open now and which starts in 20 days."""
    now = timezone.now()
    starts = overrides.pop("starts_at", now + dt.timedelta(days=20))
    fields = {
        "title": f"铝基新材料产学研对接会 {next(_seq)}",
        "event_type": "matchmaking",
        "summary": "高校院所与企业1对1洽谈。",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=6),
        "venue": "滨州市科技馆",
        "capacity": 10,
        "registration_opens_at": now - dt.timedelta(days=1),
        "registration_closes_at": starts - dt.timedelta(days=1),
        "slot_count": 4,
        "slot_minutes": 20,
        "table_count": 3,
        "first_slot_at": starts + dt.timedelta(hours=1),
        "organizer": organizer,
        # Check-in open from now on, so tests about other things can check people in; the window itself
        # is tested with the real default (2 hours) in test_checkin.py.
        "checkin_opens_hours_before": 24 * 30,
    }
    fields.update(overrides)
    index = creation.ensure_event_index()
    page = EventPage(slug=f"event-test-{next(_seq)}", owner=organizer, live=False, **fields)
    if tickets is None:
        tickets = [("普通票", str(price if price is not None else "0"))]
    page.ticket_types = [TicketType(name=name, price=Decimal(p)) for name, p in tickets]
    index.add_child(instance=page)
    if publish:
        page.save_revision(user=organizer).publish()
    else:
        page.save_revision(user=organizer)
    page.refresh_from_db()
    return page


def make_registrant(kind: str = "enterprise", name: str | None = None):
    """(user, organization) with the user as the organization's admin."""
    role = {"university": "university", "institute": "university", "agency": "agent"}.get(kind, "enterprise")
    user = make_user(role)
    org = make_org(kind, name=name, members=[user])
    return user, org


def register(event: EventPage, *, user=None, org=None, people: int = 1, ticket: TicketType | None = None,
             **kwargs) -> Registration:
    if user is None:
        user, org = make_registrant()
    ticket = ticket or event.ticket_types.first()
    participants = [ParticipantData(name=f"参会人{i + 1}", phone="13800000000") for i in range(people)]
    return registrations.register(user=user, event=event, organization=org, ticket=ticket,
                                  participants=participants, **kwargs)


def formset_rows(prefix: str, rows: list[dict], *, initial: int = 0) -> dict:
    """The POST data of repeatable form rows (a Django formset): the management form and each row's
    fields, as the page sends them; ``initial`` is how many rows the page showed prefilled."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = "on" if key == "DELETE" else value
    return data


def event_rows(tickets: list[dict], sessions: list[dict] = (), guests: list[dict] = ()) -> dict:
    """The create page's three formsets: ticket types (the first row is the prefilled 普通票), agenda, guests."""
    return {**formset_rows("tickets", tickets, initial=1), **formset_rows("sessions", list(sessions)),
            **formset_rows("guests", list(guests))}


def participant_rows(people: list[dict]) -> dict:
    """The registration page's participant rows (none prefilled by the page in these posts)."""
    return formset_rows("participants", people)
