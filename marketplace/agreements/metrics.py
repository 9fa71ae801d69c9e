"""Every target metric is computed from data, never typed in: a registry metric code -> function(year)
-> int. Metrics whose data has no model yet are registered as unavailable and return 0; the
dashboard shows them as "数据接入中 (data source pending)" instead of a number.

When a data source arrives, replace its `pending(...)` line with a function decorated by `@metric(...)`; an app
above agreements (challenges, programs) registers its own from its ready()."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from django.utils.translation import gettext_lazy as _

from accounts.models import ACADEMIC_KINDS

from .models import AgreementParty, TargetMetric
from .selectors import counted_in


@dataclass(frozen=True)
class Metric:
    code: str
    compute: Callable[[int], int]
    available: bool = True
    # The counted things as (local date it counted on, county id or None): the dashboard's month and
    # county breakdown of the target. One pair per counted thing, so the pairs add up to compute(year).
    units: Callable[[int], list[tuple[date, int | None]]] | None = None

    @property
    def label(self) -> str:
        return str(dict(TargetMetric.choices).get(self.code, self.code))


@dataclass(frozen=True)
class MetricValue:
    code: str
    value: int
    available: bool


METRICS: dict[str, Metric] = {}


def metric(code: str) -> Callable[[Callable[[int], int]], Callable[[int], int]]:
    def register(function: Callable[[int], int]) -> Callable[[int], int]:
        METRICS[code] = Metric(code, function, available=True)
        return function

    return register


def breakdown(code: str) -> Callable:
    """Register how a metric's counted things break down by month and county (after its @metric)."""

    def register(function: Callable[[int], list[tuple[date, int | None]]]) -> Callable:
        METRICS[code] = replace(METRICS[code], units=function)
        return function

    return register


# County activity (the dashboard's table of what each county's network did): key -> (label, function(year)
# -> {county id: count}). Apps higher up add their columns here, as they add their metrics above.
ACTIVITY: dict[str, tuple[str, Callable[[int], dict[int | None, int]]]] = {}


def county_activity(key: str, label: str) -> Callable:
    def register(function: Callable[[int], dict[int | None, int]]) -> Callable:
        ACTIVITY[key] = (label, function)
        return function

    return register


def pending(code: str) -> None:
    METRICS[code] = Metric(code, lambda year: 0, available=False)


@metric(TargetMetric.AGREEMENTS_SIGNED)
def agreements_signed(year: int) -> int:
    """Verified agreements (no open duplicate flag) whose signing date falls in the year."""
    return counted_in(year).count()


@metric(TargetMetric.UNIVERSITIES_ENGAGED)
def universities_engaged(year: int) -> int:
    """Distinct universities/institutes party to a counted (verified) agreement signed in the year, or
    registered (and not cancelled or rejected) for a matchmaking event held in the year."""
    from marketplace.events.models import Registration
    from marketplace.events.states import ACTIVE

    in_agreements = set(
        AgreementParty.objects.filter(agreement__in=counted_in(year), organization__kind__in=ACADEMIC_KINDS)
        .values_list("organization_id", flat=True)
    )
    at_events = set(
        Registration.objects.filter(
            event__starts_at__year=year,
            organization__kind__in=ACADEMIC_KINDS,
            status__in=sorted(ACTIVE),
        ).values_list("organization_id", flat=True)
    )
    return len(in_agreements | at_events)


def _events_held(year: int, types: set[str]) -> int:
    """Published events of these types that have started, counted in the year they started."""
    from django.utils import timezone

    from marketplace.events.models import EventPage

    return EventPage.objects.live().filter(
        event_type__in=types, starts_at__year=year, starts_at__lte=timezone.now()
    ).count()


@metric(TargetMetric.HIGH_END_EVENTS)
def high_end_events(year: int) -> int:
    """High-end matchmaking: 院士专家论坛 and 中科院专家滨州行."""
    from marketplace.events.models import EventType

    return _events_held(year, {EventType.ACADEMICIAN_FORUM, EventType.CAS_VISIT})


@metric(TargetMetric.SERVICE_ACTIVITIES)
def service_activities(year: int) -> int:
    """科技助农惠民服务活动 run as events on the platform."""
    from marketplace.events.models import EventType

    return _events_held(year, {EventType.SERVICE})


# --- month and county of each counted thing (the dashboard's breakdowns of every target) -----------


@breakdown(TargetMetric.AGREEMENTS_SIGNED)
def agreements_units(year: int) -> list[tuple[date, int | None]]:
    return list(counted_in(year).order_by("pk").values_list("signed_on", "county_id"))


@breakdown(TargetMetric.UNIVERSITIES_ENGAGED)
def universities_units(year: int) -> list[tuple[date, int | None]]:
    """Each university/institute once: on its first engagement of the year, in its own county."""
    from django.utils import timezone

    from accounts.models import Organization
    from marketplace.events.models import Registration
    from marketplace.events.states import ACTIVE

    first: dict[int, date] = {}
    for org_id, signed_on in AgreementParty.objects.filter(
            agreement__in=counted_in(year), organization__kind__in=ACADEMIC_KINDS).values_list(
            "organization_id", "agreement__signed_on"):
        first[org_id] = min(first.get(org_id, signed_on), signed_on)
    for org_id, starts_at in Registration.objects.filter(
            event__starts_at__year=year, organization__kind__in=ACADEMIC_KINDS,
            status__in=sorted(ACTIVE)).values_list("organization_id", "event__starts_at"):
        day = timezone.localdate(starts_at)
        first[org_id] = min(first.get(org_id, day), day)
    counties = dict(Organization.objects.filter(pk__in=first).values_list("pk", "county_id"))
    return [(day, counties.get(org_id)) for org_id, day in sorted(first.items())]


def _event_units(year: int, types: set[str]) -> list[tuple[date, int | None]]:
    from django.utils import timezone

    from marketplace.events.models import EventPage

    rows = EventPage.objects.live().filter(event_type__in=types, starts_at__year=year,
                                           starts_at__lte=timezone.now()).values_list("starts_at", "county_id")
    return [(timezone.localdate(starts_at), county) for starts_at, county in rows]


@breakdown(TargetMetric.HIGH_END_EVENTS)
def high_end_units(year: int) -> list[tuple[date, int | None]]:
    from marketplace.events.models import EventType

    return _event_units(year, {EventType.ACADEMICIAN_FORUM, EventType.CAS_VISIT})


@breakdown(TargetMetric.SERVICE_ACTIVITIES)
def service_units(year: int) -> list[tuple[date, int | None]]:
    from marketplace.events.models import EventType

    return _event_units(year, {EventType.SERVICE})


pending(TargetMetric.CHALLENGE_SUBSIDIES)  # 科创券 subsidies: registered by marketplace.challenges.metrics
pending(TargetMetric.ENTERPRISE_COMMISSIONERS)  # enterprise S&T commissioners
pending(TargetMetric.RESERVE_PROJECTS)  # reserve projects
pending(TargetMetric.KEY_RESULTS)  # major key-technology results


def compute(code: str, year: int) -> MetricValue:
    entry = METRICS[code]
    return MetricValue(code, int(entry.compute(year)) if entry.available else 0, entry.available)


def _count_by_county(qs) -> dict[int | None, int]:
    from django.db.models import Count

    return dict(qs.order_by().values("county_id").annotate(n=Count("pk")).values_list("county_id", "n"))


@county_activity("listings", _("发布成果与需求"))
def listings_by_county(year: int) -> dict[int | None, int]:
    """Results and demands first published in the year."""
    from marketplace.listings.models import AchievementPage, DemandPage

    counts: dict[int | None, int] = {}
    for model in (AchievementPage, DemandPage):
        for county, n in _count_by_county(model.objects.live().filter(first_published_at__year=year)).items():
            counts[county] = counts.get(county, 0) + n
    return counts


@county_activity("events", _("举办活动"))
def events_by_county(year: int) -> dict[int | None, int]:
    """Published events starting in the year."""
    from marketplace.events.models import EventPage

    return _count_by_county(EventPage.objects.live().filter(starts_at__year=year))


@county_activity("agreements", _("认定协议"))
def agreements_by_county(year: int) -> dict[int | None, int]:
    return _count_by_county(counted_in(year))
