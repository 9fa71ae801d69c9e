"""The 科创券 subsidy target this app's records feed, registered into the dashboard's registry (which lives lower
down, in agreements, and so never imports this app)."""

from datetime import date

from marketplace.agreements.metrics import breakdown, metric
from marketplace.agreements.models import TargetMetric

from .selectors import subsidized_in


@metric(TargetMetric.CHALLENGE_SUBSIDIES)
def challenge_subsidies(year: int) -> int:
    """揭榜挂帅 challenges whose 科创券 voucher subsidy was granted in the year."""
    return subsidized_in(year).count()


@breakdown(TargetMetric.CHALLENGE_SUBSIDIES)
def challenge_units(year: int) -> list[tuple[date, int | None]]:
    return list(subsidized_in(year).values_list("subsidy_granted_on", "challenge__county_id"))
