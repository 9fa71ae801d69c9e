"""Every target metric is computed from data, never typed in: a registry metric code -> function(year)
-> int. Metrics whose data has no model yet are registered as unavailable and return 0; the
dashboard shows them as "数据接入中 (data source pending)" instead of a number.

When a data source arrives (events, challenges...), replace its `pending(...)` line with a function
decorated by `@metric(...)`."""

from collections.abc import Callable
from dataclasses import dataclass

from accounts.models import ACADEMIC_KINDS

from .models import AgreementParty, TargetMetric


@dataclass(frozen=True)
class Metric:
    code: str
    compute: Callable[[int], int]
    available: bool = True

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


def pending(code: str) -> None:
    METRICS[code] = Metric(code, lambda year: 0, available=False)


@metric(TargetMetric.AGREEMENTS_SIGNED)
def agreements_signed(year: int) -> int:
    """Verified agreements (no open duplicate flag) whose signing date falls in the year."""
    from .selectors import counted_in

    return counted_in(year).count()


@metric(TargetMetric.UNIVERSITIES_ENGAGED)
def universities_engaged(year: int) -> int:
    """Distinct universities/institutes party to a counted (verified) agreement signed in the year, or
    registered (and not cancelled or rejected) for a matchmaking event held in the year."""
    from marketplace.events.models import Registration
    from marketplace.events.states import ACTIVE

    from .selectors import counted_in

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


@metric(TargetMetric.CHALLENGE_SUBSIDIES)
def challenge_subsidies(year: int) -> int:
    """揭榜挂帅 challenges whose 科创券 voucher subsidy was granted in the year."""
    from marketplace.challenges.selectors import subsidized_in

    return subsidized_in(year).count()


pending(TargetMetric.ENTERPRISE_COMMISSIONERS)  # enterprise S&T commissioners
pending(TargetMetric.RESERVE_PROJECTS)  # reserve projects
pending(TargetMetric.KEY_RESULTS)  # major key-technology results


def compute(code: str, year: int) -> MetricValue:
    entry = METRICS[code]
    return MetricValue(code, int(entry.compute(year)) if entry.available else 0, entry.available)
