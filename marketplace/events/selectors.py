"""Reads for events: public lists, the organizer's views, tickets, agendas, attendance and exports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from accounts.permissions import organization_ids_for
from marketplace.payments.models import Payment

from .models import EventPage, EventSchedule, Meeting, MeetingPreference, Participant, Registration
from .permissions import can_manage_event
from .states import ACTIVE, ATTENDING, SEAT_HOLDING, RegistrationStatus


def public_events(past_limit: int = 20) -> tuple[list[EventPage], list[EventPage]]:
    """(upcoming and running, soonest first; past, latest first)."""
    now = timezone.now()
    live = EventPage.objects.live().public()
    upcoming = list(live.filter(ends_at__gte=now).order_by("starts_at", "pk"))
    past = list(live.filter(ends_at__lt=now).order_by("-starts_at", "-pk")[:past_limit])
    return upcoming, past


def upcoming_events(limit: int = 5) -> list[EventPage]:
    return public_events()[0][:limit]


def seats_taken(event: EventPage) -> int:
    taken = Registration.objects.filter(event=event, status__in=SEAT_HOLDING).aggregate(n=Sum("seats"))["n"]
    return taken or 0


def seats_left(event: EventPage) -> int:
    """Seats a new registration can take now. While organizations wait on the waiting list, a free seat
    is theirs first (nobody overtakes the queue): none is open to newcomers, so none is advertised."""
    if Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED).exists():
        return 0
    return max(0, event.capacity - seats_taken(event))


def agreements_for_event(event: EventPage) -> list:
    """Agreements signed at this event, once agreements.Agreement has its `event` foreign key
    (related_name="agreements"); an empty list until then."""
    manager = getattr(event, "agreements", None)
    if manager is None:
        return []
    # Public page: only agreements the bureau has verified (and not held as a probable duplicate).
    return list(manager.filter(status="verified").exclude(duplicate_state="flagged").order_by("-signed_on", "-pk"))


def active_registration_for(user, event: EventPage) -> Registration | None:
    if not user.is_authenticated:
        return None
    org_ids = organization_ids_for(user)
    return (Registration.objects.filter(event=event, status__in=ACTIVE)
            .filter(Q(organization_id__in=org_ids) | Q(registered_by=user)).first())


def schedule_of(event: EventPage) -> EventSchedule | None:
    return EventSchedule.objects.filter(event=event).first()


def event_page_context(event: EventPage, user) -> dict:
    schedule = schedule_of(event)
    return {
        "tickets": list(event.ticket_types.all()),
        "seats_left": seats_left(event),
        "registration_open": event.registration_open(),
        "registration_not_yet_open": timezone.now() < event.registration_opens_at,
        "my_registration": active_registration_for(user, event),
        "can_manage": can_manage_event(user, event),
        "agreements": agreements_for_event(event),
        "schedule_published": bool(schedule and schedule.is_published),
        "slot_times": event.slot_times(),
    }


def events_for_organizer(user) -> QuerySet:
    """Events this user manages (bureau staff see all), newest first, with registration counts."""
    from accounts.permissions import is_bureau

    qs = EventPage.objects.all()
    if not is_bureau(user):
        qs = qs.filter(organizer=user)
    return qs.annotate(
        active_count=Count("registrations", filter=Q(registrations__status__in=ACTIVE), distinct=True),
        waitlist_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED),
                             distinct=True),
    ).order_by("-starts_at", "-pk")


def registrations_for_event(event: EventPage, status: str | None = None) -> QuerySet:
    # payment_flagged: Stripe reported a wrong amount or currency for one of its payments (refunded).
    flagged = Payment.objects.filter(registration=OuterRef("pk")).exclude(flagged_reason="")
    qs = (Registration.objects.filter(event=event)
          .select_related("organization", "registered_by")
          .prefetch_related("participants", "demands", "achievements", "payments")
          .annotate(payment_flagged=Exists(flagged)))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "pk")


def status_counts(event: EventPage) -> dict[str, int]:
    rows = Registration.objects.filter(event=event).values("status").annotate(n=Count("pk"))
    counts = {s: 0 for s in RegistrationStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def attendance(event: EventPage) -> list[Participant]:
    """Everyone expected (confirmed or checked in), checked-in people first by time, then the rest."""
    people = list(Participant.objects.filter(registration__event=event, registration__status__in=ATTENDING)
                  .select_related("registration__organization").order_by("pk"))
    far_future = timezone.now() + dt.timedelta(days=36500)
    return sorted(people, key=lambda p: (p.checked_in_at is None, p.checked_in_at or far_future, p.pk))


def registrations_of_user(user) -> QuerySet:
    org_ids = organization_ids_for(user)
    return (Registration.objects.filter(Q(organization_id__in=org_ids) | Q(registered_by=user))
            .select_related("event", "organization").order_by("-created_at", "-pk"))


def event_by_id(event_id: int) -> EventPage | None:
    return EventPage.objects.filter(pk=event_id).first()


def registration_of_event(event: EventPage, pk: int) -> Registration | None:
    """A registration of this event (None for one of another event: its id does not reach across)."""
    return Registration.objects.select_related("organization").filter(pk=pk, event=event).first()


def meeting_of_event(event: EventPage, pk: int) -> Meeting | None:
    return Meeting.objects.filter(pk=pk, event=event).first()


def meeting_count(event: EventPage) -> int:
    return Meeting.objects.filter(event=event).count()


def registration_detail(pk: int) -> Registration | None:
    return (Registration.objects.select_related("event", "organization", "registered_by")
            .prefetch_related("participants", "demands", "achievements", "payments").filter(pk=pk).first())


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    queue = Registration.objects.filter(event_id=registration.event_id, status=RegistrationStatus.WAITLISTED)
    ahead = queue.filter(Q(waitlisted_at__lt=registration.waitlisted_at)
                         | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)).count()
    return ahead + 1


@dataclass
class AgendaItem:
    meeting: Meeting
    partner: Registration
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    table_label: int  # tables are numbered from 1 for people


def agenda(registration: Registration, *, include_unpublished: bool = False) -> list[AgendaItem]:
    """A participant's meetings in time order, with the reasons each was arranged. Empty until the
    organizer publishes the schedule (unless include_unpublished, for the organizer's preview)."""
    event = registration.event
    schedule = schedule_of(event)
    if not include_unpublished and not (schedule and schedule.is_published):
        return []
    times = event.slot_times()
    meetings = (Meeting.objects.filter(event=event).filter(Q(a=registration) | Q(b=registration))
                .select_related("a__organization", "b__organization").order_by("slot", "table"))
    items = []
    for m in meetings:
        start, end = times[m.slot] if m.slot < len(times) else (None, None)
        items.append(AgendaItem(meeting=m, partner=m.partner_of(registration), starts_at=start, ends_at=end,
                                table_label=m.table + 1))
    return items


def preferences_of(registration: Registration) -> dict[int, str]:
    return dict(MeetingPreference.objects.filter(source=registration).values_list("target_id", "kind"))


def possible_partners(registration: Registration) -> list[Registration]:
    """Other organizations at the same event that one may request or decline a meeting with."""
    return list(Registration.objects.filter(event_id=registration.event_id, status__in=ACTIVE)
                .exclude(pk=registration.pk).select_related("organization").order_by("organization__name"))


def schedule_grid(event: EventPage) -> list[dict]:
    """Rows per slot: its times and a cell per table (a meeting or None), for the organizer's grid."""
    meetings = Meeting.objects.filter(event=event).select_related("a__organization", "b__organization")
    by_cell = {(m.slot, m.table): m for m in meetings}
    rows = []
    for slot, (start, end) in enumerate(event.slot_times()):
        rows.append({"slot": slot, "label": slot + 1, "starts_at": start, "ends_at": end,
                     "cells": [by_cell.get((slot, t)) for t in range(event.table_count)]})
    return rows


def attending_registrations(event: EventPage) -> list[Registration]:
    return list(Registration.objects.filter(event=event, status__in=ATTENDING).select_related("organization")
                .order_by("organization__name"))


def current_unfit(event: EventPage, schedule: EventSchedule | None) -> tuple[list[dict], dict[int, str]]:
    """The schedule's unplaced meeting requests whose two organizations are still registered (a request of
    a cancelled or rejected registration is stale and disappears with it), and their names."""
    if schedule is None:
        return [], {}
    names = dict(Registration.objects.filter(event=event, status__in=ACTIVE)
                 .values_list("pk", "organization__name"))
    entries = [e for e in schedule.unfit or [] if e.get("requester") in names and e.get("partner") in names]
    return entries, names


def event_draft(event: EventPage) -> EventPage:
    """The event as its organizer last submitted it (the latest revision), which may be ahead of the
    live page while a change waits for moderation."""
    return event.get_latest_revision_as_object()


def ticket_ids_with_registrations(event: EventPage) -> set[int]:
    """Ticket types that active registrations (holding a seat or waiting for one) were bought on."""
    return set(Registration.objects.filter(event=event, status__in=ACTIVE, ticket__isnull=False)
               .order_by().values_list("ticket_id", flat=True).distinct())
