"""The challenge and application state machines: every pair of statuses is tried through the service a
user would use; exactly the transitions in the table happen. Plus who may select and who may subsidize."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from marketplace.challenges import selectors, services
from marketplace.challenges.models import ChallengeApplication, ChallengeOutcome
from marketplace.challenges.services import InvalidTransition
from marketplace.challenges.states import (
    APPLICATION_MACHINE,
    APPLICATION_TRANSITIONS,
    CHALLENGE_MACHINE,
    CHALLENGE_TRANSITIONS,
    ApplicationStatus,
    ChallengeStatus,
)
from tests.factories import make_org, make_user

from .builders import academic, apply_as, published_challenge

C = ChallengeStatus
A = ApplicationStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau(db):
    return make_user("bureau")


class Setup:
    """A published challenge with two applications, brought to ``status`` by the real services."""

    def __init__(self, owner, org, bureau, status: str):
        self.owner, self.bureau = owner, bureau
        self.challenge = published_challenge(owner, org)
        self.first = apply_as(self.challenge, *academic())
        self.second = apply_as(self.challenge, *academic())
        if status in (C.AWARDED, C.SUBSIDIZED):
            services.select_application(user=owner, application=self.first)
        if status == C.SUBSIDIZED:
            self.grant()
        if status == C.CLOSED:
            services.close_without_award(user=owner, challenge=self.challenge, reason="无合适方案")
        assert self.status() == status

    def status(self) -> str:
        return selectors.status_of(self.challenge)

    def grant(self):
        return services.grant_subsidy(user=self.bureau, challenge=self.challenge, amount=Decimal("300000"),
                                      granted_on=timezone.localdate())


# The service that moves a challenge into each status.
CHALLENGE_ACTIONS = {
    C.AWARDED: lambda s: services.select_application(user=s.owner, application=s.second),
    C.SUBSIDIZED: lambda s: s.grant(),
    C.CLOSED: lambda s: services.close_without_award(user=s.owner, challenge=s.challenge),
}


def test_the_table_names_every_status_and_every_target_has_a_service():
    assert set(CHALLENGE_TRANSITIONS) == set(C.values)
    assert set().union(*CHALLENGE_TRANSITIONS.values()) == set(CHALLENGE_ACTIONS)
    assert set(APPLICATION_TRANSITIONS) == set(A.values)
    assert not any(C.OPEN in targets for targets in CHALLENGE_TRANSITIONS.values()), "nothing reopens"


@pytest.mark.parametrize("current, target", list(itertools.product(C.values, CHALLENGE_ACTIONS)))
def test_every_challenge_transition(site, enterprise_user, enterprise, bureau, current, target):
    s = Setup(enterprise_user, enterprise, bureau, current)
    before = ChallengeOutcome.objects.get(challenge=s.challenge)
    if CHALLENGE_MACHINE.can(current, target):
        CHALLENGE_ACTIONS[target](s)
        assert s.status() == target
    else:
        with pytest.raises(InvalidTransition) as refused:
            CHALLENGE_ACTIONS[target](s)
        assert "榜单状态不能从" in refused.value.messages[0]
        after = ChallengeOutcome.objects.get(challenge=s.challenge)
        assert (after.status, after.selected_application_id, after.subsidy_amount) == (
            before.status, before.selected_application_id, before.subsidy_amount), "nothing half-saved"


# How an application is brought into each status, and the service that moves it to each target.
def _application_in(s: Setup, status: str) -> ChallengeApplication:
    if status == A.SELECTED:
        services.select_application(user=s.owner, application=s.first)
    elif status == A.NOT_SELECTED:
        services.select_application(user=s.owner, application=s.second)
    s.first.refresh_from_db()
    assert s.first.status == status
    return s.first


APPLICATION_ACTIONS = {
    A.SELECTED: lambda s, app: services.select_application(user=s.owner, application=app),
    A.NOT_SELECTED: lambda s, app: services.close_without_award(user=s.owner, challenge=s.challenge),
}


@pytest.mark.parametrize("current, target", list(itertools.product(A.values, APPLICATION_ACTIONS)))
def test_every_application_transition(site, enterprise_user, enterprise, bureau, current, target):
    s = Setup(enterprise_user, enterprise, bureau, C.OPEN)
    application = _application_in(s, current)
    if APPLICATION_MACHINE.can(current, target):
        APPLICATION_ACTIONS[target](s, application)
        application.refresh_from_db()
        assert application.status == target
        assert application.decided_at is not None
    else:
        with pytest.raises(InvalidTransition):
            APPLICATION_ACTIONS[target](s, application)
        application.refresh_from_db()
        assert application.status == current


@pytest.mark.parametrize("current, target", list(itertools.product(A.values, A.values)))
def test_the_application_machine_allows_exactly_the_table(current, target):
    if target in APPLICATION_TRANSITIONS[current]:
        assert APPLICATION_MACHINE.check(current, target).target == target
    else:
        with pytest.raises(InvalidTransition) as refused:
            APPLICATION_MACHINE.check(current, target)
        assert refused.value.messages == [f"申请状态不能从“{A(current).label}”变为“{A(target).label}”。"]


def test_selecting_one_declines_the_others_and_awards_the_challenge(site, enterprise_user, enterprise, bureau):
    s = Setup(enterprise_user, enterprise, bureau, C.OPEN)
    third = apply_as(s.challenge, *academic("institute"))
    outcome = services.select_application(user=enterprise_user, application=third)
    assert (outcome.status, outcome.selected_application, outcome.awarded_by) == (C.AWARDED, third, enterprise_user)
    statuses = dict(ChallengeApplication.objects.values_list("pk", "status"))
    assert statuses == {s.first.pk: A.NOT_SELECTED, s.second.pk: A.NOT_SELECTED, third.pk: A.SELECTED}


def test_closing_declines_every_pending_application(site, enterprise_user, enterprise, bureau):
    s = Setup(enterprise_user, enterprise, bureau, C.OPEN)
    outcome = services.close_without_award(user=bureau, challenge=s.challenge, reason="  预算调整  ")
    assert (outcome.status, outcome.close_reason, outcome.selected_application) == (C.CLOSED, "预算调整", None)
    assert set(ChallengeApplication.objects.values_list("status", flat=True)) == {A.NOT_SELECTED}


# -- who may select ---------------------------------------------------------------------------------

def test_the_posting_enterprise_or_the_bureau_selects(site, enterprise_user, enterprise, bureau):
    s = Setup(enterprise_user, enterprise, bureau, C.OPEN)
    assert services.select_application(user=bureau, application=s.first).status == C.AWARDED


@pytest.mark.parametrize("who", ["other_enterprise", "applicant", "organizer"])
def test_nobody_else_selects_or_closes(site, enterprise_user, enterprise, bureau, who):
    s = Setup(enterprise_user, enterprise, bureau, C.OPEN)
    if who == "other_enterprise":
        user = make_user("enterprise")
        make_org("enterprise", members=[user])
    elif who == "applicant":
        user = s.first.submitted_by
    else:
        user = make_user("organizer")
    with pytest.raises(PermissionDenied):
        services.select_application(user=user, application=s.first)
    with pytest.raises(PermissionDenied):
        services.close_without_award(user=user, challenge=s.challenge)
    assert s.status() == C.OPEN
    assert set(ChallengeApplication.objects.values_list("status", flat=True)) == {A.SUBMITTED}


# -- the subsidy -----------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["enterprise", "university", "agent", "organizer"])
def test_only_bureau_staff_grant_the_subsidy(site, enterprise_user, enterprise, bureau, role):
    s = Setup(enterprise_user, enterprise, bureau, C.AWARDED)
    user = enterprise_user if role == "enterprise" else make_user(role)
    with pytest.raises(PermissionDenied):
        services.grant_subsidy(user=user, challenge=s.challenge, amount=Decimal("1"), granted_on=timezone.localdate())
    assert s.status() == C.AWARDED


def test_the_subsidy_is_recorded_with_amount_date_and_officer(site, enterprise_user, enterprise, bureau):
    s = Setup(enterprise_user, enterprise, bureau, C.AWARDED)
    day = timezone.localdate() - dt.timedelta(days=3)
    services.grant_subsidy(user=bureau, challenge=s.challenge, amount=Decimal("500000.50"), granted_on=day)
    outcome = ChallengeOutcome.objects.get(challenge=s.challenge)
    assert (outcome.status, outcome.subsidy_amount, outcome.subsidy_granted_on, outcome.subsidy_granted_by) == (
        C.SUBSIDIZED, Decimal("500000.50"), day, bureau)


# granted_on: days from today, or a raw value that is not a date.
@pytest.mark.parametrize("amount, granted_on, field, message", [
    (Decimal("-100"), 0, "subsidy_amount", "金额不能为负数。"),
    ("十万", 0, "subsidy_amount", "请输入金额数字。"),
    (Decimal("0.001"), 0, "subsidy_amount", "金额最多保留两位小数。"),
    (Decimal("100000"), 1, "subsidy_granted_on", "发放日期不能晚于今天。"),
    (Decimal("100000"), "2023-05-01", "subsidy_granted_on", "请输入有效日期。"),
])
def test_a_bad_subsidy_is_a_field_error_and_nothing_is_saved(site, enterprise_user, enterprise, bureau, amount,
                                                              granted_on, field, message):
    s = Setup(enterprise_user, enterprise, bureau, C.AWARDED)
    if isinstance(granted_on, int):
        granted_on = timezone.localdate() + dt.timedelta(days=granted_on)
    with pytest.raises(ValidationError) as refused:
        services.grant_subsidy(user=bureau, challenge=s.challenge, amount=amount, granted_on=granted_on)
    assert refused.value.message_dict[field] == [message]
    outcome = ChallengeOutcome.objects.get(challenge=s.challenge)
    assert (outcome.status, outcome.subsidy_amount, outcome.subsidy_granted_on) == (C.AWARDED, None, None)


def test_a_zero_subsidy_is_allowed(site, enterprise_user, enterprise, bureau):
    s = Setup(enterprise_user, enterprise, bureau, C.AWARDED)
    services.grant_subsidy(user=bureau, challenge=s.challenge, amount=Decimal("0"), granted_on=timezone.localdate())
    assert s.status() == C.SUBSIDIZED


def test_a_float_subsidy_is_a_programming_error(site, enterprise_user, enterprise, bureau):
    s = Setup(enterprise_user, enterprise, bureau, C.AWARDED)
    with pytest.raises(TypeError):
        services.grant_subsidy(user=bureau, challenge=s.challenge, amount=0.1, granted_on=timezone.localdate())
    assert s.status() == C.AWARDED
