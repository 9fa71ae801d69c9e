from django.db import transaction

from .models import Membership, Organization, User
from .uscc import normalize_uscc


@transaction.atomic
def register_organization(*, user: User, name: str, kind: str, uscc: str, county=None, contact_name: str = "",
                          contact_phone: str = "", contact_email: str = "") -> Organization:
    """Create an organization and make its creator the admin. Validation (USCC check character,
    uniqueness) runs before anything is written."""
    org = Organization(name=name.strip(), kind=kind, uscc=normalize_uscc(uscc), county=county,
                       contact_name=contact_name, contact_phone=contact_phone,
                       contact_email=contact_email or user.email)
    org.full_clean()
    org.save()
    Membership.objects.create(user=user, organization=org, role=Membership.Role.ADMIN)
    return org


def add_member(*, organization: Organization, user: User, role: str = Membership.Role.MEMBER) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, organization=organization,
                                                     defaults={"role": role})
    return membership
