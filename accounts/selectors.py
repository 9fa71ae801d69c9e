from .models import Membership, Organization, User


def organizations_of(user: User) -> list[Organization]:
    if not user.is_authenticated:
        return []
    return [m.organization for m in Membership.objects.filter(user=user).select_related("organization")]


def primary_organization(user: User) -> Organization | None:
    membership = (
        Membership.objects.filter(user=user).select_related("organization").order_by("-role", "created_at").first()
        if user.is_authenticated
        else None
    )
    return membership.organization if membership else None
