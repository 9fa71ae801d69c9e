"""Reads for pilot-base bookings, and who may see or do what with them. Never writes."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

from accounts.models import Organization, OrganizationKind
from accounts.permissions import organization_ids_for
from marketplace.core.submissions import FormSubmission
from marketplace.listings.models import PilotBasePage
from marketplace.taxonomy.models import County

from .models import Booking, Equipment
from .states import HOLDS_EQUIPMENT, MACHINE, BookingStatus, Side


def bookable_base(page_id: int) -> PilotBasePage | None:
    return PilotBasePage.objects.live().filter(pk=page_id).select_related("organization").first()


def requesting_organizations(user, base: PilotBasePage) -> QuerySet[Organization]:
    """The user's verified enterprises that may book this base (never the base's own operator)."""
    if not user or not user.is_authenticated:
        return Organization.objects.none()
    return (Organization.objects.filter(memberships__user=user, verified=True, kind=OrganizationKind.ENTERPRISE)
            .exclude(pk=base.organization_id).distinct())


def can_request(user, base: PilotBasePage) -> bool:
    return requesting_organizations(user, base).exists()


def bookable_equipment(base: PilotBasePage) -> QuerySet[Equipment]:
    return Equipment.objects.filter(base=base, retired=False)


def side_in_booking(user, booking: Booking) -> str | None:
    """Side.OPERATOR for members of the base's organization, Side.ENTERPRISE for the requester's
    organization, None for everyone else (bureau staff included: bookings are the two sides' business)."""
    orgs = organization_ids_for(user)
    if booking.operator_id in orgs:
        return Side.OPERATOR
    if booking.enterprise_id in orgs:
        return Side.ENTERPRISE
    return None


def moves_for(user, booking: Booking) -> list[str]:
    side = side_in_booking(user, booking)
    return MACHINE.targets(booking.status, by=side) if side else []


def bookings_for(user) -> QuerySet[Booking]:
    """Bookings the user's organizations asked for or received."""
    orgs = organization_ids_for(user)
    return (Booking.objects.filter(Q(enterprise_id__in=orgs) | Q(operator_id__in=orgs))
            .select_related("base", "equipment", "enterprise", "operator"))


# --- the base's public calendar --------------------------------------------------------------------


@dataclass
class Day:
    day: date
    in_month: bool
    booked: list[str] = field(default_factory=list)  # equipment names only: who booked is not public


@dataclass
class Month:
    year: int
    month: int
    weeks: list[list[Day]]
    previous: date
    next: date


def calendar_month(base: PilotBasePage, year: int, month: int) -> Month:
    """One month of the base's confirmed (and done) bookings, Monday first."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    busy: dict[date, list[str]] = {}
    rows = (Booking.objects.filter(base=base, status__in=sorted(HOLDS_EQUIPMENT), start_date__lte=last,
                                   end_date__gte=first)
            .values_list("start_date", "end_date", "equipment__name").order_by("equipment_id"))
    for start, end, name in rows:
        day = max(start, first)
        while day <= min(end, last):
            if name not in busy.setdefault(day, []):
                busy[day].append(name)
            day += timedelta(days=1)
    month_start = date(year, month, 1)
    return Month(year, month,
                 [[Day(d, d.month == month, busy.get(d, [])) for d in week] for week in weeks],
                 previous=(month_start - timedelta(days=1)).replace(day=1),
                 next=(month_start + timedelta(days=32)).replace(day=1))


# --- the dashboard's 中试基地 line ------------------------------------------------------------------


def pilot_runs(year: int) -> QuerySet[Booking]:
    """Trial runs the operator marked done in the year (Asia/Shanghai)."""
    return Booking.objects.filter(status=BookingStatus.DONE, done_at__year=year)


@dataclass
class RunCount:
    base: str
    county: str
    runs: int


def _county_names(ids) -> dict[int, str]:
    """County id -> its name in the reader's language (str() of a County)."""
    return {pk: str(county) for pk, county in County.objects.in_bulk([i for i in ids if i]).items()}


def pilot_runs_by_base(year: int) -> list[RunCount]:
    rows = list(pilot_runs(year).values("base_id", "base__title", "base__county_id")
                .annotate(n=Count("pk")).order_by("-n", "base__title"))
    names = _county_names(r["base__county_id"] for r in rows)
    return [RunCount(r["base__title"], names.get(r["base__county_id"], ""), r["n"]) for r in rows]


def pilot_runs_by_county(year: int) -> list[tuple[str, int]]:
    rows = list(pilot_runs(year).values("base__county_id", "base__county__sort_order")
                .annotate(n=Count("pk")).order_by("base__county__sort_order", "base__county_id"))
    names = _county_names(r["base__county_id"] for r in rows)
    return [(names.get(r["base__county_id"], ""), r["n"]) for r in rows]


def booking_by_id(pk: int) -> Booking | None:
    return Booking.objects.select_related("base", "equipment", "enterprise", "operator").filter(pk=pk).first()


def already_submitted(token: str | None, user) -> bool:
    """The form with this one-time token went through before (a double click or a Back-resubmit)."""
    return bool(token) and FormSubmission.objects.filter(token=token, user=user).exists()
