"""Who may enter agreements, act on one, and see the targets dashboard. Built on accounts.permissions.
Who may *see* which agreements is a read rule: selectors.visible_agreements."""

from accounts.models import PlatformRole
from accounts.permissions import is_bureau, organization_ids_for

from . import states


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


def party_sides_of(user, agreement) -> set[str]:
    """The sides (enterprise/academic/other) on which the user's organizations signed this agreement."""
    orgs = organization_ids_for(user)
    return {link.side for link in agreement.party_links.all() if link.organization_id in orgs}


def actor_roles(user, agreement) -> set[str]:
    """The roles of states.MOVES' actors this user holds for this agreement."""
    if not (user and user.is_authenticated):
        return set()
    roles = set()
    if is_bureau(user):
        roles.add(states.BUREAU)
    if agreement.created_by_id == user.pk:
        roles.add(states.ENTRANT)
    if party_sides_of(user, agreement):
        roles.add(states.PARTY)
    return roles


def can_edit_terms(user, agreement) -> bool:
    return agreement.status in states.EDITABLE and bool(actor_roles(user, agreement) & {states.BUREAU,
                                                                                        states.ENTRANT})


def can_handle_evidence(user, agreement) -> bool:
    """Download the contract scan: the parties and the bureau only (not the organizer or agent)."""
    return bool(actor_roles(user, agreement) & {states.BUREAU, states.PARTY})


def can_upload_evidence(user, agreement) -> bool:
    return agreement.status in states.EVIDENCE_OPEN and bool(actor_roles(user, agreement))
