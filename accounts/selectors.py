from django.db.models import Count, Q, QuerySet

from .models import Membership, Organization, RoleApplication, User
from .states import RoleApplicationStatus


def organizations_of(user: User) -> list[Organization]:
    if not user.is_authenticated:
        return []
    return [m.organization for m in Membership.objects.filter(user=user).select_related("organization")]


def role_applications_of(user: User) -> QuerySet[RoleApplication]:
    return RoleApplication.objects.filter(user=user).select_related("organization", "decided_by")


# ---- the bureau's review queue ---------------------------------------------------------------------

def role_applications_for_review(*, status: str = RoleApplicationStatus.PENDING, role: str = "",
                                 query: str = "") -> QuerySet[RoleApplication]:
    applications = RoleApplication.objects.select_related("user", "organization", "decided_by")
    if status:
        applications = applications.filter(status=status)
    if role:
        applications = applications.filter(role=role)
    if query:
        applications = applications.filter(Q(user__email__icontains=query) | Q(user__display_name__icontains=query)
                                           | Q(organization__name__icontains=query))
    return applications.order_by("created_at", "pk")


def organizations_for_review(*, query: str = "", kind: str = "") -> QuerySet[Organization]:
    """Organizations waiting for the bureau to check their business licence, oldest first."""
    organizations = Organization.objects.filter(verified=False).select_related("county").annotate(
        member_count=Count("memberships"))
    if kind:
        organizations = organizations.filter(kind=kind)
    if query:
        organizations = organizations.filter(Q(name__icontains=query) | Q(uscc__icontains=query))
    return organizations.order_by("created_at", "pk")


def review_queue_counts() -> dict[str, int]:
    return {
        "role_applications": RoleApplication.objects.filter(status=RoleApplicationStatus.PENDING).count(),
        "organizations": Organization.objects.filter(verified=False).count(),
    }


def administered_organizations(user: User) -> list[Organization]:
    """The organizations this user is an admin member of."""
    return list(Organization.objects.filter(memberships__user=user, memberships__role=Membership.Role.ADMIN)
                .distinct())
