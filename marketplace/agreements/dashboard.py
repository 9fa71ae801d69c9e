"""Reads for the targets dashboard: each target against its pace and forecast, the county, month, type and field
breakdowns of the counted agreements, every registered target by month and county, each county's activity. The
dashboard page and both exports (reports.py) are built from these same functions, so they cannot disagree.

Everything here reads the counted set (selectors.counted_in) and the metrics registry (metrics.py)."""

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from marketplace.taxonomy.models import County, IndustryField

from . import metrics
from .models import AgreementType, Target, TargetMetric
from .selectors import available_years, counted_in, status_counts

ZERO = Decimal("0.00")


# --- targets, pace and forecast --------------------------------------------------------------------


@dataclass(frozen=True)
class TargetValue:
    value: int | None
    set_for_year: int | None  # the year the target row belongs to; earlier than asked when carried forward


def target_for(metric: str, year: int) -> TargetValue:
    """The year's target, or, when none was set, the most recent earlier year's (the seed's 2023
    targets stand until the bureau sets new ones)."""
    exact = Target.objects.filter(metric=metric, year=year).first()
    if exact:
        return TargetValue(exact.target, None)
    earlier = Target.objects.filter(metric=metric, year__lt=year).order_by("-year").first()
    return TargetValue(earlier.target, earlier.year) if earlier else TargetValue(None, None)


def _days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def elapsed_days(year: int, today: date) -> int:
    """Days of `year` gone by today, today included: 0 for a future year, all for a past one."""
    if year < today.year:
        return _days_in_year(year)
    if year > today.year:
        return 0
    return today.timetuple().tm_yday


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def pace(target: int | None, year: int, today: date) -> int | None:
    """Where the count should be by today if the target were reached evenly over the year."""
    if target is None:
        return None
    return _round(Decimal(target) * elapsed_days(year, today) / _days_in_year(year))


def monthly_rate(actual: int, year: int, today: date) -> Decimal | None:
    """Count per month so far (months as fractions of the year elapsed)."""
    days = elapsed_days(year, today)
    if days == 0:
        return None
    months = Decimal(days) * 12 / _days_in_year(year)
    return (Decimal(actual) / months).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def forecast(actual: int, year: int, today: date) -> int | None:
    """Year-end count if the monthly rate so far continues. A past year's forecast is its result."""
    days = elapsed_days(year, today)
    if days == 0:
        return None
    return _round(Decimal(actual) * _days_in_year(year) / days)


@dataclass
class TargetRow:
    code: str
    label: str
    target: int | None
    target_set_for: int | None
    actual: int
    available: bool
    pace: int | None
    forecast: int | None
    monthly_rate: Decimal | None

    @property
    def percent(self) -> int:
        """Share of the target reached, 0-100, for progress bars."""
        if not self.available or not self.target:
            return 0
        return min(100, _round(Decimal(self.actual) * 100 / self.target))

    @property
    def pace_percent(self) -> int:
        if not self.target or self.pace is None:
            return 0
        return min(100, _round(Decimal(self.pace) * 100 / self.target))

    @property
    def on_track(self) -> bool | None:
        if not self.available or self.pace is None:
            return None
        return self.actual >= self.pace


def target_row(code: str, year: int, today: date) -> TargetRow:
    value = metrics.compute(code, year)
    goal = target_for(code, year)
    return TargetRow(
        code=code,
        label=metrics.METRICS[code].label,
        target=goal.value,
        target_set_for=goal.set_for_year,
        actual=value.value,
        available=value.available,
        pace=pace(goal.value, year, today) if value.available else None,
        forecast=forecast(value.value, year, today) if value.available else None,
        monthly_rate=monthly_rate(value.value, year, today) if value.available else None,
    )


def target_rows(year: int, today: date) -> list[TargetRow]:
    return [target_row(code, year, today) for code in TargetMetric.values if code in metrics.METRICS]


# --- breakdowns ------------------------------------------------------------------------------------


@dataclass
class Bucket:
    key: str
    label: str
    count: int
    amount: Decimal


def _grouped(year: int, by: str) -> dict:
    rows = counted_in(year).order_by().values(by).annotate(n=Count("id"), total=Sum("amount"))
    return {row[by]: (row["n"], row["total"] or ZERO) for row in rows}


def by_county(year: int) -> list[Bucket]:
    """Every county, zeros included, in the taxonomy's order."""
    counts = _grouped(year, "county_id")
    return [Bucket(c.slug, str(c), *counts.get(c.pk, (0, ZERO))) for c in County.objects.all()]


def by_field(year: int) -> list[Bucket]:
    counts = _grouped(year, "field_id")
    return [Bucket(f.slug, str(f), *counts.get(f.pk, (0, ZERO))) for f in IndustryField.objects.all()]


def by_type(year: int) -> list[Bucket]:
    counts = _grouped(year, "agreement_type")
    return [
        Bucket(code, str(label), *counts.get(code, (0, ZERO)))
        for code, label in AgreementType.choices
    ]


@dataclass
class MonthRow:
    month: int
    count: int
    amount: Decimal
    cumulative: int
    cumulative_amount: Decimal
    pace: int | None  # where the cumulative count should be at the month's end
    future: bool  # the month has not begun yet (its numbers are zero by definition)


def by_month(year: int, today: date) -> list[MonthRow]:
    grouped = (
        counted_in(year)
        .order_by()
        .annotate(m=ExtractMonth("signed_on"))
        .values("m")
        .annotate(n=Count("id"), total=Sum("amount"))
    )
    counts = {row["m"]: (row["n"], row["total"] or ZERO) for row in grouped}
    goal = target_for(TargetMetric.AGREEMENTS_SIGNED, year).value
    rows, running, running_amount = [], 0, ZERO
    for month in range(1, 13):
        count, amount = counts.get(month, (0, ZERO))
        running += count
        running_amount += amount
        month_end = date(year, month, calendar.monthrange(year, month)[1])
        month_pace = (
            None
            if goal is None
            else _round(Decimal(goal) * month_end.timetuple().tm_yday / _days_in_year(year))
        )
        rows.append(
            MonthRow(
                month, count, amount, running, running_amount, month_pace, future=date(year, month, 1) > today
            )
        )
    return rows


# --- every target by month and county, and each county's activity (from the registries in metrics) ---


@dataclass
class TargetBreakdown:
    code: str
    label: str
    months: list[int]  # counted in January..December
    counties: list[int]  # counted in each county, in the taxonomy's order
    no_county: int  # counted things with no county recorded (an organization without one, say)

    @property
    def total(self) -> int:
        return sum(self.months)


def target_breakdowns(year: int) -> list[TargetBreakdown]:
    """Month and county of every available target that registered its units; the totals equal the
    dashboard's actual figures (tests hold them to it)."""
    counties = list(County.objects.values_list("pk", flat=True))
    rows = []
    for code in TargetMetric.values:
        entry = metrics.METRICS.get(code)
        if entry is None or not entry.available or entry.units is None:
            continue
        months, per_county = [0] * 12, dict.fromkeys(counties, 0)
        no_county = 0
        for day, county in entry.units(year):
            months[day.month - 1] += 1
            if county in per_county:
                per_county[county] += 1
            else:
                no_county += 1
        rows.append(TargetBreakdown(code, entry.label, months, [per_county[c] for c in counties], no_county))
    return rows


@dataclass
class CountyActivity:
    county_id: int
    name: str
    counts: list[int]  # in the order of activity_columns()


def activity_columns() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, (label, _fn) in metrics.ACTIVITY.items()]


def county_activity(year: int, county_id: int | None = None) -> list[CountyActivity]:
    """Each county's activity in the year (every registered column), or one county's."""
    per_column = [function(year) for _label, function in metrics.ACTIVITY.values()]
    counties = County.objects.all() if county_id is None else County.objects.filter(pk=county_id)
    return [CountyActivity(c.pk, str(c), [col.get(c.pk, 0) for col in per_column]) for c in counties]


@dataclass
class Dashboard:
    year: int
    today: date
    targets: list[TargetRow]
    counties: list[Bucket]
    months: list[MonthRow]
    types: list[Bucket]
    fields: list[Bucket]
    total_amount: Decimal
    statuses: dict[str, int] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)
    breakdowns: list[TargetBreakdown] = field(default_factory=list)
    activity: list[CountyActivity] = field(default_factory=list)
    county_names: list[str] = field(default_factory=list)

    @property
    def agreements(self) -> TargetRow:
        return next(t for t in self.targets if t.code == TargetMetric.AGREEMENTS_SIGNED)


def dashboard(year: int, today: date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    months = by_month(year, today)
    return Dashboard(
        year=year,
        today=today,
        targets=target_rows(year, today),
        counties=by_county(year),
        months=months,
        types=by_type(year),
        fields=by_field(year),
        total_amount=months[-1].cumulative_amount,
        statuses=status_counts(year),
        years=available_years(today),
        breakdowns=target_breakdowns(year),
        activity=county_activity(year),
        county_names=[str(c) for c in County.objects.all()],  # in the reader's language
    )


def home_counter(today: date | None = None) -> TargetRow:
    """The public counter: verified agreements signed this year against the target."""
    today = today or timezone.localdate()
    return target_row(TargetMetric.AGREEMENTS_SIGNED, today.year, today)


