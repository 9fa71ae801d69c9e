"""The registration state machine: every allowed transition happens through the service a user would
use, and nothing else is allowed."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from marketplace.core.states import TransitionRefused
from marketplace.events.models import RegistrationLog
from marketplace.events.services import checkins, checkout, common, registrations
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
    registrations.approve(user=organizer, registration=r)
    return r


def approve_paid(organizer):
    event = make_event(organizer=organizer, requires_approval=True, price="200")
    r = register(event)
    registrations.approve(user=organizer, registration=r)
    return r


def reject_pending_approval(organizer):
    event = make_event(organizer=organizer, requires_approval=True)
    r = register(event)
    registrations.reject(user=organizer, registration=r, reason="与主题不符")
    return r


def cancel_pending_approval(organizer):
    event = make_event(organizer=organizer, requires_approval=True)
    r = register(event)
    registrations.cancel(user=r.registered_by, registration=r)
    return r


def promote_to_approval(organizer):
    event, first = _full_event(organizer, requires_approval=True)
    registrations.approve(user=organizer, registration=first)
    waiting = register(event)
    assert waiting.status == S.WAITLISTED
    registrations.cancel(user=first.registered_by, registration=first)
    return waiting


def promote_to_payment(organizer):
    event, first = _full_event(organizer, price="100")
    waiting = register(event)
    registrations.cancel(user=first.registered_by, registration=first)
    return waiting


def promote_to_confirmed(organizer):
    event, first = _full_event(organizer)
    waiting = register(event)
    registrations.cancel(user=first.registered_by, registration=first)
    return waiting


def reject_waitlisted(organizer):
    event, _first = _full_event(organizer)
    waiting = register(event)
    registrations.reject(user=organizer, registration=waiting)
    return waiting


def cancel_waitlisted(organizer):
    event, _first = _full_event(organizer)
    waiting = register(event)
    registrations.cancel(user=waiting.registered_by, registration=waiting)
    return waiting


def pay(organizer):
    event = make_event(organizer=organizer, price="100")
    r = register(event)
    assert checkout.mark_paid(r) is True  # what the verified Stripe webhook calls
    return r


def reject_pending_payment(organizer):
    event = make_event(organizer=organizer, price="100")
    r = register(event)
    registrations.reject(user=organizer, registration=r)
    return r


def cancel_pending_payment(organizer):
    event = make_event(organizer=organizer, price="100")
    r = register(event)
    registrations.cancel(user=r.registered_by, registration=r)
    return r


def check_in(organizer):
    event = make_event(organizer=organizer)
    r = register(event)
    checkins.check_in(user=organizer, participant=r.participants.first())
    return r


def cancel_confirmed(organizer):
    event = make_event(organizer=organizer)
    r = register(event)
    registrations.cancel(user=r.registered_by, registration=r)
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
        with pytest.raises(TransitionRefused):
            common.transition(r, target)
        r.refresh_from_db()
        assert r.status == source, f"{source} -> {target} changed the status"
        assert not RegistrationLog.objects.filter(registration=r, from_status=source, to_status=target).exists()


def test_refusals_name_both_statuses_and_what_is_possible(event_site, organizer):
    r = register(make_event(organizer=organizer, price="100"))
    assert r.status == S.PENDING_PAYMENT
    with pytest.raises(TransitionRefused) as refused:
        common.transition(r, S.CHECKED_IN)
    # Worked out from the table: 待支付 may become 已确认, 已取消 or 未通过 (in the order of the choices).
    assert refused.value.messages == ["报名状态不能从“待支付”变为“已签到”。当前可以变为：已确认、已取消、未通过。"]


def test_terminal_states_cannot_be_cancelled_again(event_site, organizer):
    r = cancel_confirmed(organizer)
    with pytest.raises(TransitionRefused, match="已处于“已取消”"):
        registrations.cancel(user=r.registered_by, registration=r)


def test_checked_in_registration_cannot_be_cancelled(event_site, organizer):
    r = check_in(organizer)
    with pytest.raises(TransitionRefused, match="报名状态已是“已签到”，不能再变更"):
        registrations.cancel(user=organizer, registration=r, now=timezone.now() + dt.timedelta(days=1))
