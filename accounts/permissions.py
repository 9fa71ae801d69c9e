"""Who may do what. One place, so views and services ask the same question the same way."""

from .models import Membership, Organization, PlatformRole, User


def is_bureau(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role == PlatformRole.BUREAU))


def organization_ids_for(user) -> set[int]:
    if not user or not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user).values_list("organization_id", flat=True))


def is_member(user, organization: Organization | None) -> bool:
    return organization is not None and organization.pk in organization_ids_for(user)


def is_org_admin(user: User, organization: Organization) -> bool:
    return Membership.objects.filter(user=user, organization=organization, role=Membership.Role.ADMIN).exists()


def can_edit_listing(user, page) -> bool:
    """Owners edit their own organization's listings; bureau staff may edit everything."""
    if is_bureau(user):
        return True
    return is_member(user, getattr(page, "organization", None))


def can_view_draft(user, page) -> bool:
    return can_edit_listing(user, page)
