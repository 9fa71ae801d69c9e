"""Who may do what. One place, so views and services ask the same question the same way."""

from .models import GRANTED_ROLES, Membership, Organization, PlatformRole, User


def is_bureau(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role == PlatformRole.BUREAU))


def has_granted_role(user, role: str) -> bool:
    """True when the person holds a role that only bureau staff grant (organizer, agent, bureau).

    The role field can reach these values only through accounts.services (an approved RoleApplication
    or grant_role) or a bureau member's edit in the admin: sign-up offers only enterprise, university
    and pilot-base. A deactivated account holds nothing."""
    if role not in GRANTED_ROLES:
        raise ValueError(f"{role!r} is chosen at sign-up, not granted")
    return bool(user and user.is_authenticated and user.is_active and user.role == role)


def is_agent(user) -> bool:
    return has_granted_role(user, PlatformRole.AGENT)


def is_organizer(user) -> bool:
    return has_granted_role(user, PlatformRole.ORGANIZER)


def organization_ids_for(user) -> set[int]:
    if not user or not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user).values_list("organization_id", flat=True))


def is_member(user, organization: Organization | None) -> bool:
    return organization is not None and organization.pk in organization_ids_for(user)


def is_verified_member(user, organization: Organization | None) -> bool:
    """A member of an organization that bureau staff have verified (营业执照 checked). What may act in
    that organization's name where figures count: confirming an agreement as a party, revealing
    contacts."""
    return bool(organization is not None and organization.verified and is_member(user, organization))


def verified_organization_ids_for(user) -> set[int]:
    if not user or not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user, organization__verified=True)
               .values_list("organization_id", flat=True))


def is_org_admin(user: User, organization: Organization) -> bool:
    return Membership.objects.filter(user=user, organization=organization, role=Membership.Role.ADMIN).exists()


def can_edit_listing(user, page) -> bool:
    """Owners edit their own organization's listings; bureau staff may edit everything."""
    if is_bureau(user):
        return True
    return is_member(user, getattr(page, "organization", None))


def can_view_draft(user, page) -> bool:
    return can_edit_listing(user, page)
