"""Reads about personal information: who sees a contact in full, and what a user's personal data is."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from accounts.models import Membership
from accounts.permissions import is_bureau, is_member

from .masking import mask_email, mask_name, mask_phone
from .models import ContactReveal


@dataclass(frozen=True)
class ContactView:
    """A contact as one visitor may see it."""

    name: str
    phone: str
    email: str
    masked: bool
    can_reveal: bool


def is_verified_member(user) -> bool:
    """Members of a verified organization may reveal contacts (the bureau checked who they are)."""
    return bool(user and user.is_authenticated
                and Membership.objects.filter(user=user, organization__verified=True).exists())


def has_revealed(user, page) -> bool:
    return bool(user and user.is_authenticated
                and ContactReveal.objects.filter(viewer=user, page_id=page.pk).exists())


def sees_contact_in_full(user, page) -> bool:
    """The publishing organization's members and bureau staff see their own / moderated contacts; a
    verified member sees a contact once the reveal has been logged."""
    return is_bureau(user) or is_member(user, page.organization) or has_revealed(user, page)


def contact_for(user, page) -> ContactView:
    """`page` is anything with organization, contact_name, contact_phone and contact_email."""
    if sees_contact_in_full(user, page):
        return ContactView(page.contact_name, page.contact_phone, page.contact_email, masked=False, can_reveal=False)
    has_contact = bool(page.contact_name or page.contact_phone or page.contact_email)
    return ContactView(mask_name(page.contact_name), mask_phone(page.contact_phone), mask_email(page.contact_email),
                       masked=True, can_reveal=has_contact and is_verified_member(user))


# Other apps add what they hold about a person (higher layers cannot be imported from here):
# register_export_section("consents", lambda user: [...]).
ExportSection = Callable[[Any], Any]
_EXPORT_SECTIONS: dict[str, ExportSection] = {}


def register_export_section(key: str, section: ExportSection) -> None:
    _EXPORT_SECTIONS[key] = section


def _when(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _reveal_row(reveal: ContactReveal) -> dict:
    return {"listing_id": reveal.page_id, "listing_title": reveal.page_title,
            "organization": reveal.organization.name, "contact_name": reveal.contact_name,
            "revealed_at": _when(reveal.revealed_at)}


def personal_data(user) -> dict:
    """Everything the platform holds about this person, as JSON-ready data."""
    memberships = Membership.objects.filter(user=user).select_related("organization").order_by("created_at")
    about_me = ContactReveal.objects.filter(contact_owner=user).select_related("viewer", "organization")
    mine = ContactReveal.objects.filter(viewer=user).select_related("organization")
    data = {
        "exported_at": _when(timezone.now()),
        "profile": {
            "email": user.email, "display_name": user.display_name,
            "first_name": user.first_name, "last_name": user.last_name, "phone": user.phone,
            "role": user.role, "date_joined": _when(user.date_joined), "last_login": _when(user.last_login),
        },
        "memberships": [{"organization": m.organization.name, "uscc": m.organization.uscc, "role": m.role,
                         "since": _when(m.created_at)} for m in memberships],
        # Who saw the contact on listings this person published (the viewer's display name only).
        "contact_reveals_about_me": [{**_reveal_row(r), "viewer": str(r.viewer)} for r in about_me],
        "contact_reveals_by_me": [_reveal_row(r) for r in mine],
        "privacy_consents": [{"version": c.version, "consented_at": _when(c.consented_at)}
                             for c in user.privacy_consents.all()],
        "role_applications": [{"role": a.role, "organization": str(a.organization or ""), "status": a.status,
                               "reason": a.reason, "created_at": _when(a.created_at)}
                              for a in user.role_applications.select_related("organization")],
    }
    for key, section in _EXPORT_SECTIONS.items():
        data[key] = section(user)
    return data
