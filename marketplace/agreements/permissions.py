"""Who may enter agreements and see the targets dashboard. Built on accounts.permissions."""

from accounts.models import PlatformRole
from accounts.permissions import is_bureau


def can_enter_agreements(user) -> bool:
    """Bureau staff and event organizers record signed agreements directly or by import."""
    return bool(user and user.is_authenticated and (is_bureau(user) or user.role == PlatformRole.ORGANIZER))


def can_view_dashboard(user) -> bool:
    return is_bureau(user)
