"""Reads for a county's view (县级技术转移工作站): the county's activity and its share of every target,
taken from the same dashboard tables the bureau reads, so the two never disagree."""

from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import Organization, OrganizationKind
from marketplace.agreements import dashboard
from marketplace.taxonomy.models import County

from .models import ProjectRecord
from .permissions import station_county_ids
from .selectors import counted_commissioners
from .states import RecordStatus


@dataclass
class CountyView:
    county: County
    year: int
    activity: list[tuple[str, int]]  # (label, count) for every registered activity column
    targets: list[tuple[str, str, int]]  # (code, label, counted in this county)
    stations: QuerySet
    commissioners: QuerySet
    records: QuerySet


def county_view(county: County, year: int) -> CountyView:
    labels = [label for _key, label in dashboard.activity_columns()]
    row = dashboard.county_activity(year, county.pk)[0]
    position = list(County.objects.values_list("pk", flat=True)).index(county.pk)
    return CountyView(
        county=county,
        year=year,
        activity=list(zip(labels, row.counts, strict=True)),
        targets=[(b.code, b.label, b.counties[position]) for b in dashboard.target_breakdowns(year)],
        stations=Organization.objects.filter(kind=OrganizationKind.TRANSFER_STATION, county=county, verified=True)
        .prefetch_related("memberships__user"),
        commissioners=counted_commissioners(year).filter(county=county)
        .select_related("commissioner", "institution", "enterprise").order_by("approved_on", "pk"),
        records=ProjectRecord.objects.filter(county=county, status=RecordStatus.APPROVED, approved_on__year=year)
        .select_related("owner").order_by("approved_on", "pk"),
    )


def county_by_slug(slug: str) -> County | None:
    return County.objects.filter(slug=slug).first()


def station_county(user) -> County | None:
    """The county of the station this user staffs (the first, should they staff two)."""
    return County.objects.filter(pk__in=station_county_ids(user)).first()
