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
    """Agreements whose signing date falls in the year."""
    from .selectors import agreements_signed_in

    return agreements_signed_in(year).count()


@metric(TargetMetric.UNIVERSITIES_ENGAGED)
def universities_engaged(year: int) -> int:
    """Distinct universities/institutes party to an agreement signed in the year (events will add
    "or registered at an event in the year")."""
    return (
        AgreementParty.objects.filter(agreement__signed_on__year=year, organization__kind__in=ACADEMIC_KINDS)
        .values("organization_id")
        .distinct()
        .count()
    )


pending(TargetMetric.HIGH_END_EVENTS)  # events app
pending(TargetMetric.CHALLENGE_SUBSIDIES)  # 揭榜挂帅 challenges
pending(TargetMetric.SERVICE_ACTIVITIES)  # service activities
pending(TargetMetric.ENTERPRISE_COMMISSIONERS)  # enterprise S&T commissioners
pending(TargetMetric.RESERVE_PROJECTS)  # reserve projects
pending(TargetMetric.KEY_RESULTS)  # major key-technology results


def compute(code: str, year: int) -> MetricValue:
    entry = METRICS[code]
    return MetricValue(code, int(entry.compute(year)) if entry.available else 0, entry.available)
