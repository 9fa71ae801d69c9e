"""Who may propose, confirm and approve. One place, so views and services ask the same question."""

from accounts.models import ACADEMIC_KINDS, OrganizationKind
from accounts.permissions import is_bureau, is_verified_member, organization_ids_for, verified_organization_ids_for

from .models import CommissionerAssignment, ProjectRecord


def can_propose_assignment(user) -> bool:
    """Bureau staff, or a member of a verified enterprise, university or institute."""
    if is_bureau(user):
        return True
    from accounts.models import Organization

    kinds = (OrganizationKind.ENTERPRISE, *ACADEMIC_KINDS)
    return Organization.objects.filter(pk__in=verified_organization_ids_for(user), kind__in=kinds).exists()


def confirmable_side(user, assignment: CommissionerAssignment) -> str | None:
    """'enterprise' or 'institution' when this user may confirm for that side and it is still open."""
    # Two different people, neither of them the commissioner: the point is that both sides vouch for it.
    if not (user and user.is_authenticated) or user.pk == assignment.commissioner_id:
        return None
    if user.pk in (assignment.enterprise_confirmed_by_id, assignment.institution_confirmed_by_id):
        return None
    if assignment.enterprise_confirmed_at is None and is_verified_member(user, assignment.enterprise):
        return "enterprise"
    if assignment.institution_confirmed_at is None and is_verified_member(user, assignment.institution):
        return "institution"
    return None


def can_see_assignment(user, assignment: CommissionerAssignment) -> bool:
    """The commissioner's profile is public once approved; before that, the parties and the bureau."""
    from .states import AssignmentStatus

    if assignment.status == AssignmentStatus.APPROVED or is_bureau(user):
        return True
    orgs = organization_ids_for(user)
    return bool(user and user.is_authenticated and (
        assignment.commissioner_id == user.pk or assignment.created_by_id == user.pk
        or {assignment.enterprise_id, assignment.institution_id} & orgs))


def can_see_logs(user, assignment: CommissionerAssignment) -> bool:
    """Service logs: the commissioner, the two organizations and the bureau, never the public."""
    if is_bureau(user):
        return True
    if not (user and user.is_authenticated):
        return False
    return assignment.commissioner_id == user.pk or bool(
        {assignment.enterprise_id, assignment.institution_id} & organization_ids_for(user))


def can_write_log(user, assignment: CommissionerAssignment) -> bool:
    from .states import AssignmentStatus

    return bool(user and user.is_authenticated and assignment.commissioner_id == user.pk
                and assignment.status == AssignmentStatus.APPROVED)


def can_propose_record(user) -> bool:
    return is_bureau(user) or bool(verified_organization_ids_for(user))


def can_see_record(user, record: ProjectRecord) -> bool:
    from .states import RecordStatus

    if record.status == RecordStatus.APPROVED or is_bureau(user):
        return True
    return record.owner_id in organization_ids_for(user)


def station_county_ids(user) -> set[int]:
    """Counties whose technology transfer station (a verified organization of that kind) this user staffs."""
    from accounts.models import Organization

    if not (user and user.is_authenticated):
        return set()
    return set(Organization.objects.filter(
        pk__in=verified_organization_ids_for(user), kind=OrganizationKind.TRANSFER_STATION, county__isnull=False,
    ).values_list("county_id", flat=True))


def can_see_county(user, county) -> bool:
    """A county's view: bureau staff, and the staff of that county's station (not another county's)."""
    return is_bureau(user) or county.pk in station_county_ids(user)


def can_enter_evaluation(user) -> bool:
    """Evaluation reports come from the bureau (it holds the third party's report)."""
    return is_bureau(user)


def can_download_evaluation_report(user) -> bool:
    """The report file is the bureau's only; the level and evaluator are public."""
    return is_bureau(user)
