"""Every transition of the two state machines in marketplace.programs.states, allowed and refused."""

import itertools
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from marketplace.programs import services
from marketplace.programs.states import (
    ASSIGNMENT_MACHINE,
    ASSIGNMENT_TRANSITIONS,
    RECORD_MACHINE,
    RECORD_TRANSITIONS,
    AssignmentStatus,
    RecordStatus,
)

from .builders import approved, cast, confirmed, proposed, record_data

pytestmark = pytest.mark.django_db
A, R = AssignmentStatus, RecordStatus


def test_the_tables_cover_every_state_and_end_in_approved_or_rejected():
    assert set(ASSIGNMENT_TRANSITIONS) == set(A.values)
    assert set(RECORD_TRANSITIONS) == set(R.values)
    assert ASSIGNMENT_TRANSITIONS[A.APPROVED] == ASSIGNMENT_TRANSITIONS[A.REJECTED] == frozenset()
    assert RECORD_TRANSITIONS[R.APPROVED] == RECORD_TRANSITIONS[R.REJECTED] == frozenset()
    assert not ASSIGNMENT_MACHINE.can(A.PROPOSED, A.APPROVED)  # the bureau never skips the two sides
    assert RECORD_MACHINE.can(R.PROPOSED, R.APPROVED)


@pytest.mark.parametrize(("machine", "table", "choices"), [(ASSIGNMENT_MACHINE, ASSIGNMENT_TRANSITIONS, A),
                                                            (RECORD_MACHINE, RECORD_TRANSITIONS, R)])
def test_every_pair_of_states_is_allowed_exactly_when_the_table_says(machine, table, choices):
    for current, target in itertools.product(choices.values, choices.values):
        if target in table[current]:
            assert machine.check(current, target).target == target
        else:
            with pytest.raises(ValidationError) as refused:
                machine.check(current, target)
            assert refused.value.messages == [f"当前状态（{choices(current).label}）不能执行此操作。"]


def _record_in(c, status: str):
    record = services.enter_record(user=c.enterprise_member, data=record_data(c.enterprise, title=f"项目{status}"))
    if status != R.PROPOSED:
        record = services.decide_record(user=c.bureau, record=record, approve=status == R.APPROVED, note="依据")
    assert record.status == status
    return record


@pytest.mark.parametrize(("current", "target"), list(itertools.product(R.values, [R.APPROVED, R.REJECTED])))
def test_every_record_decision_through_the_service(current, target):
    c = cast()
    record = _record_in(c, current)
    decide = lambda: services.decide_record(user=c.bureau, record=record, approve=target == R.APPROVED,  # noqa: E731
                                            note="审核意见")
    if target in RECORD_TRANSITIONS[current]:
        assert decide().status == target
    else:
        with pytest.raises(ValidationError):
            decide()
        record.refresh_from_db()
        assert record.status == current


def test_proposed_becomes_confirmed_only_when_both_sides_confirm():
    c = cast()
    a = proposed(c)
    a = services.confirm_assignment(user=c.enterprise_member, assignment=a)
    assert a.status == A.PROPOSED and a.enterprise_confirmed_by == c.enterprise_member
    with pytest.raises(PermissionDenied):  # the enterprise cannot confirm for the institution too
        services.confirm_assignment(user=c.enterprise_member, assignment=a)
    a = services.confirm_assignment(user=c.academic_member, assignment=a)
    assert a.status == A.CONFIRMED and a.institution_confirmed_by == c.academic_member


def test_the_commissioner_cannot_vouch_for_themselves_nor_one_person_for_both_sides():
    c = cast()
    a = proposed(c)
    with pytest.raises(PermissionDenied):
        services.confirm_assignment(user=c.commissioner, assignment=a)
    c.institution.memberships.create(user=c.enterprise_member)  # a member of both organizations
    a = services.confirm_assignment(user=c.enterprise_member, assignment=a)
    with pytest.raises(PermissionDenied):
        services.confirm_assignment(user=c.enterprise_member, assignment=a)
    a.refresh_from_db()
    assert a.status == A.PROPOSED and a.institution_confirmed_at is None


def test_the_bureau_cannot_approve_before_both_sides_confirm():
    c = cast()
    a = proposed(c)
    with pytest.raises(ValidationError):
        services.decide_assignment(user=c.bureau, assignment=a, approve=True)


def test_proposed_may_be_rejected_with_a_reason():
    c = cast()
    a = proposed(c)
    with pytest.raises(ValidationError) as error:
        services.decide_assignment(user=c.bureau, assignment=a, approve=False, note=" ")
    assert "理由" in str(error.value)
    a = services.decide_assignment(user=c.bureau, assignment=a, approve=False, note="服务期与在研项目冲突")
    assert a.status == A.REJECTED and a.approved_on is None


def test_confirmed_is_approved_on_the_given_day_or_rejected():
    c = cast()
    a = approved(c, on=date(2023, 4, 10))
    assert a.status == A.APPROVED and a.approved_on == date(2023, 4, 10) and a.decided_by == c.bureau
    next_term = confirmed(c, term_start=date(2025, 1, 1), term_end=date(2025, 12, 31))
    b = services.decide_assignment(user=c.bureau, assignment=next_term, approve=False, note="材料不全")
    assert b.status == A.REJECTED


@pytest.mark.parametrize("approve", [True, False])
def test_approved_and_rejected_assignments_are_final(approve):
    c = cast()
    a = approved(c, on=date(2023, 4, 10))
    with pytest.raises(ValidationError):
        services.decide_assignment(user=c.bureau, assignment=a, approve=approve, note="再次审核")
    with pytest.raises(ValidationError):
        services.confirm_assignment(user=c.enterprise_member, assignment=a)


def test_a_record_proposed_by_an_organization_is_approved_or_rejected_once():
    c = cast()
    r = services.enter_record(user=c.enterprise_member, data=record_data(c.enterprise))
    assert r.status == R.PROPOSED and r.approved_on is None
    r = services.decide_record(user=c.bureau, record=r, approve=True, on=date(2023, 5, 2))
    assert (r.status, r.approved_on) == (R.APPROVED, date(2023, 5, 2))
    with pytest.raises(ValidationError):
        services.decide_record(user=c.bureau, record=r, approve=False, note="撤销")
    s = services.enter_record(user=c.enterprise_member, data=record_data(c.enterprise, title="另一项目"))
    with pytest.raises(ValidationError):
        services.decide_record(user=c.bureau, record=s, approve=False, note="")
    s = services.decide_record(user=c.bureau, record=s, approve=False, note="不属于储备范围")
    assert s.status == R.REJECTED
    with pytest.raises(ValidationError):
        services.decide_record(user=c.bureau, record=s, approve=True)


def test_a_record_entered_by_bureau_staff_is_approved_at_once(settings):
    from django.utils import timezone

    c = cast()
    r = services.enter_record(user=c.bureau, data=record_data(c.enterprise))
    assert (r.status, r.approved_on, r.decided_by) == (R.APPROVED, timezone.localdate(), c.bureau)
