"""Reads for commissioners and records. What counts toward a year's target: approved, with its
approval date (local) in that year. The dashboard metrics and the breakdowns all read counted_*."""

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth

from accounts.permissions import is_bureau, organization_ids_for
from marketplace.listings.models import AchievementPage
from marketplace.taxonomy.models import County

from .models import CommissionerAssignment, ProjectRecord, RecordKind, ServiceLog
from .states import AssignmentStatus, RecordStatus


def counted_commissioners(year: int) -> QuerySet:
    return CommissionerAssignment.objects.filter(status=AssignmentStatus.APPROVED, approved_on__year=year)


def counted_records(kind: str, year: int) -> QuerySet:
    return ProjectRecord.objects.filter(kind=kind, status=RecordStatus.APPROVED, approved_on__year=year)


def by_county(qs: QuerySet) -> list[tuple[str, int]]:
    """Every county, zeros included, in the taxonomy's order."""
    counts = dict(qs.order_by().values("county_id").annotate(n=Count("id")).values_list("county_id", "n"))
    return [(str(c), counts.get(c.pk, 0)) for c in County.objects.all()]


def by_month(qs: QuerySet) -> list[tuple[int, int]]:
    rows = qs.order_by().annotate(m=ExtractMonth("approved_on")).values("m").annotate(n=Count("id"))
    counts = {r["m"]: r["n"] for r in rows}
    return [(m, counts.get(m, 0)) for m in range(1, 13)]


def assignments_for(user) -> QuerySet:
    """Bureau: all. Others: those they serve in, proposed, or their organizations are party to."""
    qs = CommissionerAssignment.objects.select_related("commissioner", "institution", "enterprise", "county")
    if is_bureau(user):
        return qs
    if not (user and user.is_authenticated):
        return qs.none()
    orgs = organization_ids_for(user)
    return qs.filter(Q(commissioner=user) | Q(created_by=user) | Q(enterprise_id__in=orgs)
                     | Q(institution_id__in=orgs))


def assignment_by_id(pk: int) -> CommissionerAssignment | None:
    return (CommissionerAssignment.objects.select_related("commissioner", "institution", "enterprise", "field",
                                                          "county").filter(pk=pk).first())


def logs_of(assignment: CommissionerAssignment) -> QuerySet:
    return ServiceLog.objects.filter(assignment=assignment)


def institution_results(assignment: CommissionerAssignment, limit: int = 20) -> QuerySet:
    """The institution's published achievements, linked from the commissioner's profile."""
    return AchievementPage.objects.live().filter(organization=assignment.institution).order_by("-first_published_at")[
        :limit]


def awaiting_bureau() -> dict[str, QuerySet]:
    return {
        "assignments": CommissionerAssignment.objects.filter(status=AssignmentStatus.CONFIRMED)
        .select_related("commissioner", "institution", "enterprise"),
        "records": ProjectRecord.objects.filter(status=RecordStatus.PROPOSED).select_related("owner"),
    }


def records_for(user) -> QuerySet:
    qs = ProjectRecord.objects.select_related("owner", "field", "county")
    if is_bureau(user):
        return qs
    return qs.filter(owner_id__in=organization_ids_for(user))


def record_by_id(pk: int) -> ProjectRecord | None:
    return ProjectRecord.objects.select_related("owner", "field", "county", "source_demand", "source_challenge",
                                                "source_deal").filter(pk=pk).first()


KINDS = dict(RecordKind.choices)
