"""Who may manage an event or see a registration. One place, so views and services agree."""

from accounts import permissions as account_permissions
from accounts.permissions import is_bureau, is_member


def is_organizer(user) -> bool:
    return account_permissions.is_organizer(user) or is_bureau(user)


def can_manage_event(user, event) -> bool:
    """The event's organizer, or bureau staff."""
    if not (user and user.is_authenticated):
        return False
    return is_bureau(user) or (account_permissions.is_organizer(user) and event.organizer_id == user.pk)


def can_act_for_registration(user, registration) -> bool:
    """The person who registered, or any member of the registered organization."""
    if not (user and user.is_authenticated):
        return False
    return registration.registered_by_id == user.pk or is_member(user, registration.organization)


def can_view_registration(user, registration) -> bool:
    return can_act_for_registration(user, registration) or can_manage_event(user, registration.event)
