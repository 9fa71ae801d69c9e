"""The registration state machine: every allowed transition happens through the service a user would
use, and nothing else is allowed."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from marketplace.events import services
from marketplace.events.models import RegistrationLog
from marketplace.events.services import InvalidTransition
from marketplace.events.states import TRANSITIONS, RegistrationStatus, can_transition

from .builders import make_event, register

S = RegistrationStatus
pytestmark = pytest.mark.django_db


def _full_event(organizer, **kw):
    """An event with one seat, taken, so the next registration waits."""
    event = make_event(organizer=organizer, capacity=1, **kw)
    first = register(event)
    return event, first


def approve_free(organizer):
    event = make_event(organizer=organizer, requires_approval=True)
    r = register(event)
    assert r.status == S.PENDING_APPROVAL
    services.approve(user=organizer, registration=r)
    return r


def approve_paid(organizer):
    event = make_event(organizer=organizer, requires_approval=True, price="200")
    r = register(event)
    services.approve(user=organizer, registration=r)
    return r


def reject_pending_approval(organizer):
    event = make_event(organizer=organizer, requires_approval=True)
    r = register(event)
    services.reject(user=organizer, registration=r, reason="与主题不符")
    return r


def cancel_pending_approval(organizer):
    event = make_event(organizer=organizer, requires_approval=True)
    r = register(event)
    services.cancel(user=r.registered_by, registration=r)
    return r


def promote_to_approval(organizer):
    event, first = _full_event(organizer, requires_approval=True)
    services.approve(user=organizer, registration=first)
    waiting = register(event)
    assert waiting.status == S.WAITLISTED
    services.cancel(user=first.registered_by, registration=first)
    return waiting


def promote_to_payment(organizer):
    event, first = _full_event(organizer, price="100")
    waiting = register(event)
    services.cancel(user=first.registered_by, registration=first)
    return waiting


def promote_to_confirmed(organizer):
    event, first = _full_event(organizer)
    waiting = register(event)
    services.cancel(user=first.registered_by, registration=first)
    return waiting


def reject_waitlisted(organizer):
    event, _first = _full_event(organizer)
    waiting = register(event)
    services.reject(user=organizer, registration=waiting)
    return waiting


def cancel_waitlisted(organizer):
    event, _first = _full_event(organizer)
    waiting = register(event)
    services.cancel(user=waiting.registered_by, registration=waiting)
    return waiting


def pay(organizer):
    event = make_event(organizer=organizer, price="100")
    r = register(event)
    assert services.mark_paid(r) is True  # what the verified Stripe webhook calls
    return r


def reject_pending_payment(organizer):
    event = make_event(organizer=organizer, price="100")
    r = register(event)
    services.reject(user=organizer, registration=r)
    return r


def cancel_pending_payment(organizer):
    event = make_event(organizer=organizer, price="100")
    r = register(event)
    services.cancel(user=r.registered_by, registration=r)
    return r


def check_in(organizer):
    event = make_event(organizer=organizer)
    r = register(event)
    services.check_in(user=organizer, participant=r.participants.first())
    return r


def cancel_confirmed(organizer):
    event = make_event(organizer=organizer)
    r = register(event)
    services.cancel(user=r.registered_by, registration=r)
    return r


SCENARIOS = {
    (S.PENDING_APPROVAL, S.CONFIRMED): approve_free,
    (S.PENDING_APPROVAL, S.PENDING_PAYMENT): approve_paid,
    (S.PENDING_APPROVAL, S.REJECTED): reject_pending_approval,
    (S.PENDING_APPROVAL, S.CANCELLED): cancel_pending_approval,
    (S.WAITLISTED, S.PENDING_APPROVAL): promote_to_approval,
    (S.WAITLISTED, S.PENDING_PAYMENT): promote_to_payment,
    (S.WAITLISTED, S.CONFIRMED): promote_to_confirmed,
    (S.WAITLISTED, S.REJECTED): reject_waitlisted,
    (S.WAITLISTED, S.CANCELLED): cancel_waitlisted,
    (S.PENDING_PAYMENT, S.CONFIRMED): pay,
    (S.PENDING_PAYMENT, S.REJECTED): reject_pending_payment,
    (S.PENDING_PAYMENT, S.CANCELLED): cancel_pending_payment,
    (S.CONFIRMED, S.CHECKED_IN): check_in,
    (S.CONFIRMED, S.CANCELLED): cancel_confirmed,
}


def test_every_allowed_transition_has_a_scenario():
    allowed = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert allowed == set(SCENARIOS), "a transition was added or removed without a test"


@pytest.mark.parametrize("edge", list(SCENARIOS), ids=lambda e: f"{e[0]}->{e[1]}")
def test_transition_happens_through_its_service_and_is_logged(edge, event_site, organizer):
    source, target = edge
    registration = SCENARIOS[edge](organizer)
    registration.refresh_from_db()
    assert registration.status == target
    assert RegistrationLog.objects.filter(registration=registration, from_status=source,
                                          to_status=target).exists()


def test_disallowed_transitions_are_refused(event_site, organizer):
    event = make_event(organizer=organizer)
    r = register(event)
    refused = [(a, b) for a, b in itertools.product(S.values, S.values) if not can_transition(a, b)]
    assert len(refused) == len(S.values) ** 2 - len(SCENARIOS)
    for source, target in refused:
        r.status = source
        r.save(update_fields=["status"])
        with pytest.raises(InvalidTransition):
            services._transition(r, target)
        r.refresh_from_db()
        assert r.status == source, f"{source} -> {target} changed the status"


def test_terminal_states_cannot_be_cancelled_again(event_site, organizer):
    r = cancel_confirmed(organizer)
    with pytest.raises(InvalidTransition):
        services.cancel(user=r.registered_by, registration=r)


def test_checked_in_registration_cannot_be_cancelled(event_site, organizer):
    r = check_in(organizer)
    with pytest.raises(InvalidTransition):
        services.cancel(user=organizer, registration=r, now=timezone.now() + dt.timedelta(days=1))
