"""Who may enter agreements and see the targets dashboard. Built on accounts.permissions."""

from accounts.models import PlatformRole
from accounts.permissions import is_bureau


def can_enter_agreements(user) -> bool:
    """Bureau staff and event organizers record signed agreements directly or by import."""
    return bool(user and user.is_authenticated and (is_bureau(user) or user.role == PlatformRole.ORGANIZER))


def can_log_at_event(user, event) -> bool:
    """An agreement is attributed to an event by bureau staff, that event's organizer, or an agent
    (agents close deals at the events they attend)."""
    from marketplace.events.permissions import can_manage_event

    return can_manage_event(user, event) or bool(
        user and user.is_authenticated and user.role == PlatformRole.AGENT)


def can_view_dashboard(user) -> bool:
    return is_bureau(user)
