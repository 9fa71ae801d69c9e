"""The three work-plan targets this app's records feed, registered into the dashboard's registry (which
lives lower down, in agreements, and so never imports this app)."""

from marketplace.agreements.metrics import metric
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
