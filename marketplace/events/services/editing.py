"""Writes for an organizer's changes to an event after it was created. Like listings, a change becomes
a new revision in the moderation workflow: the live event (and the ticket types people register on)
changes only when bureau staff approve it.

One rule protects registrants: a ticket type that active registrations were bought on can be neither
deleted nor repriced (the price they paid and the refunds computed from it must keep meaning the same
thing). New ticket types can always be added. The rule lives in ticket_row_errors(), which the edit
form uses for its field errors and update_event() enforces again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.core.one_time import SubmissionKey, claim_submission, remember_submission
from marketplace.core.pages import submit_for_moderation

from .. import selectors
from ..models import EventGuest, EventPage, EventSession, TicketType
from ..permissions import can_manage_event
from .common import lock_event


@dataclass
class TicketRow:
    """One row of the ticket-type table: ``id`` is the existing ticket type's, None for a new one."""

    name: str
    price: Decimal
    description: str = ""
    id: int | None = None


@dataclass
class SessionRow:
    """One agenda item. Sessions and guests carry no id: nothing points at them, so a revision simply
    replaces them (and no posted id can pull another event's row into this one)."""

    starts_at: dt.datetime
    title: str
    ends_at: dt.datetime | None = None
    speaker: str = ""
    place: str = ""


@dataclass
class GuestRow:
    name: str
    affiliation: str = ""
    title: str = ""


def session_row_errors(rows: list[SessionRow], *, starts_at: dt.datetime | None,
                       ends_at: dt.datetime | None) -> list[tuple[int, str, str]]:
    """Agenda items must lie within the event's time, as (row index, field, message)."""
    if not (starts_at and ends_at):
        return []
    errors = []
    for index, row in enumerate(rows):
        if not starts_at <= row.starts_at < ends_at:
            errors.append((index, "starts_at", _("议程须在活动时间之内。")))
        elif row.ends_at and row.ends_at > ends_at:
            errors.append((index, "ends_at", _("议程须在活动时间之内。")))
    return errors


def ticket_row_errors(rows: list[TicketRow], *, live: dict[int, TicketType], known_ids: set[int],
                      protected_ids: set[int]) -> list[tuple[int | None, str, str]]:
    """What is wrong with the submitted rows, as (row index or None, field, message).

    ``live``: the live ticket types by id (the prices registrants paid); ``known_ids``: ids the
    organizer may refer to (live ones and those of the pending revision); ``protected_ids``: ticket
    types with active registrations."""
    errors: list[tuple[int | None, str, str]] = []
    kept = set()
    for index, row in enumerate(rows):
        if row.id is None:
            continue
        if row.id not in known_ids:
            errors.append((index, "id", _("该票种不属于本活动，请刷新页面后重试。")))
            continue
        kept.add(row.id)
        if row.id in protected_ids and row.id in live and row.price != live[row.id].price:
            errors.append((index, "price", _("“%(name)s”已有报名，不能修改价格（原价 ¥%(price)s）；可新增票种。")
                           % {"name": live[row.id].name, "price": live[row.id].price}))
    for ticket_id in sorted(protected_ids - kept):
        if ticket_id in live:
            errors.append((None, "", _("票种“%(name)s”已有报名，不能删除。") % {"name": live[ticket_id].name}))
    if not rows:
        errors.append((None, "", _("至少需要一个票种（免费票的价格填0）。")))
    return errors


def ticket_rules_for(event: EventPage, draft: EventPage) -> dict:
    """The keyword arguments of ticket_row_errors() for this event, as the database has it now."""
    live = {t.pk: t for t in TicketType.objects.filter(page=event)}
    return {"live": live, "known_ids": set(live) | {t.pk for t in draft.ticket_types.all() if t.pk},
            "protected_ids": selectors.ticket_ids_with_registrations(event)}


@transaction.atomic
def update_event(*, user: User, event: EventPage, data: dict, tickets: list[TicketRow],
                 sessions: list[SessionRow] | None = None, guests: list[GuestRow] | None = None,
                 submission_token: str | SubmissionKey | None = None) -> EventPage:
    """Submit a change of the event, its ticket types and (when given) its agenda and invited guests for
    moderation; returns the new draft."""
    if not can_manage_event(user, event):
        raise PermissionDenied(_("只有本活动的组织方可以编辑活动。"))
    submission = claim_submission(submission_token, user)
    # The same lock registrations take: no registration lands on a ticket type between our check of
    # which types are protected and the revision that changes them.
    event = lock_event(event)
    draft = selectors.event_draft(event)
    errors = ticket_row_errors(tickets, **ticket_rules_for(event, draft))
    if errors:
        raise ValidationError([message for _index, _field, message in errors])
    for name, value in data.items():
        setattr(draft, name, value)
    draft.ticket_types = [TicketType(pk=row.id, name=row.name, price=row.price, description=row.description,
                                     sort_order=order) for order, row in enumerate(tickets)]
    if sessions is not None:
        late = session_row_errors(sessions, starts_at=draft.starts_at, ends_at=draft.ends_at)
        if late:
            raise ValidationError([f"{sessions[i].title}：{message}" for i, _field, message in late])
        draft.sessions = [EventSession(starts_at=r.starts_at, ends_at=r.ends_at, title=r.title, speaker=r.speaker,
                                       place=r.place, sort_order=order) for order, r in enumerate(sessions)]
    if guests is not None:
        draft.guests = [EventGuest(name=r.name, affiliation=r.affiliation, title=r.title, sort_order=order)
                        for order, r in enumerate(guests)]
    children = [*draft.ticket_types.all(), *draft.sessions.all(), *draft.guests.all()]
    for child in children:
        # Kept ticket types keep their id on purpose (registrations point at it): not a uniqueness error.
        child.full_clean(exclude=["page"], validate_unique=False)
    draft.validate_before_submit()
    submit_for_moderation(draft, user)
    remember_submission(submission, event)
    return draft
