"""The three work-plan targets this app's records feed, registered into the dashboard's registry (which
lives lower down, in agreements, and so never imports this app)."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from marketplace.agreements.metrics import breakdown, county_activity, metric
from marketplace.agreements.models import TargetMetric

from .models import RecordKind


@metric(TargetMetric.ENTERPRISE_COMMISSIONERS)
def enterprise_commissioners(year: int) -> int:
    """Commissioner assignments approved by the bureau in the year."""
    from .selectors import counted_commissioners

    return counted_commissioners(year).count()


@metric(TargetMetric.RESERVE_PROJECTS)
def reserve_projects(year: int) -> int:
    """Reserve projects approved (or entered by the bureau) in the year."""
    from .selectors import counted_records

    return counted_records(RecordKind.RESERVE, year).count()


@metric(TargetMetric.KEY_RESULTS)
def key_results(year: int) -> int:
    """Major key-technology results approved (or entered by the bureau) in the year."""
    from .selectors import counted_records

    return counted_records(RecordKind.KEY_RESULT, year).count()


def _units(qs) -> list[tuple[date, int | None]]:
    return list(qs.order_by("pk").values_list("approved_on", "county_id"))


@breakdown(TargetMetric.ENTERPRISE_COMMISSIONERS)
def commissioner_units(year: int) -> list[tuple[date, int | None]]:
    from .selectors import counted_commissioners

    return _units(counted_commissioners(year))


@breakdown(TargetMetric.RESERVE_PROJECTS)
def reserve_units(year: int) -> list[tuple[date, int | None]]:
    from .selectors import counted_records

    return _units(counted_records(RecordKind.RESERVE, year))


@breakdown(TargetMetric.KEY_RESULTS)
def key_result_units(year: int) -> list[tuple[date, int | None]]:
    from .selectors import counted_records

    return _units(counted_records(RecordKind.KEY_RESULT, year))


@county_activity("commissioners", _("认定科技特派员"))
def commissioners_by_county(year: int) -> dict[int | None, int]:
    from .selectors import counted_commissioners

    counts: dict[int | None, int] = {}
    for county in counted_commissioners(year).values_list("county_id", flat=True):
        counts[county] = counts.get(county, 0) + 1
    return counts
