"""Who may apply (揭榜) and when: members of a university or institute, while the challenge is open
and on or before its deadline, once per organization."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from marketplace.challenges import services
from marketplace.challenges.models import ChallengeApplication
from marketplace.challenges.services import ApplicationRefused
from marketplace.challenges.states import ApplicationStatus
from tests.factories import make_org, make_user

from .builders import academic, apply_as, challenge_data, published_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenge(site, enterprise_user, enterprise):
    return published_challenge(enterprise_user, enterprise)


def _refusal_code(error: ValidationError) -> str:
    return error.code if not hasattr(error, "error_dict") else next(iter(error.error_dict))


def test_a_university_member_applies(challenge):
    user, uni = academic(name="滨州学院")
    application = apply_as(challenge, user, uni)
    assert application.status == ApplicationStatus.SUBMITTED
    assert (application.organization, application.submitted_by) == (uni, user)
    assert application.proposed_amount == Decimal("1200000")


def test_an_institute_member_applies_too(challenge):
    user, institute = academic("institute", name="山东省科学院")
    assert apply_as(challenge, user, institute).organization == institute


@pytest.mark.parametrize("kind", ["enterprise", "pilot_base_operator", "agency"])
def test_a_non_academic_organization_is_refused(challenge, kind):
    user = make_user("enterprise")
    org = make_org(kind, members=[user])
    with pytest.raises(ApplicationRefused) as refused:
        apply_as(challenge, user, org)
    assert "只有高校或科研院所可以揭榜" in str(refused.value.message_dict["organization"])
    assert not ChallengeApplication.objects.exists()


def test_applying_for_someone_elses_university_is_refused(challenge):
    _member, uni = academic()
    stranger = make_user("university")
    with pytest.raises(PermissionDenied):
        apply_as(challenge, stranger, uni)
    assert not ChallengeApplication.objects.exists()


def test_the_deadline_day_is_open_and_the_day_after_is_not(challenge):
    user, uni = academic()
    other_user, other = academic()
    deadline = challenge.application_deadline
    with pytest.raises(ApplicationRefused) as refused:
        apply_as(challenge, user, uni, today=deadline + dt.timedelta(days=1))
    assert refused.value.code == "deadline_passed"
    assert refused.value.messages[0] == f"揭榜已于{deadline:%Y-%m-%d}截止。"
    assert apply_as(challenge, other_user, other, today=deadline).status == ApplicationStatus.SUBMITTED
    assert list(ChallengeApplication.objects.values_list("organization", flat=True)) == [other.pk]


def test_an_organization_applies_only_once(challenge):
    user, uni = academic()
    colleague = make_user("university")
    uni.memberships.create(user=colleague)
    apply_as(challenge, user, uni)
    for who in (user, colleague):
        with pytest.raises(ApplicationRefused) as refused:
            apply_as(challenge, who, uni, team_lead="李研究员")
        assert refused.value.code == "duplicate"
    assert ChallengeApplication.objects.filter(organization=uni).count() == 1


def test_a_challenge_in_moderation_takes_no_applications(site, enterprise_user, enterprise):
    draft = services.create_challenge(user=enterprise_user, data=challenge_data(enterprise))
    user, uni = academic()
    with pytest.raises(ApplicationRefused) as refused:
        apply_as(draft, user, uni)
    assert refused.value.code == "not_live"


@pytest.mark.parametrize("decide", ["award", "close"])
def test_a_decided_challenge_takes_no_more_applications(challenge, enterprise_user, decide):
    first_user, first = academic()
    application = apply_as(challenge, first_user, first)
    if decide == "award":
        services.select_application(user=enterprise_user, application=application)
    else:
        services.close_without_award(user=enterprise_user, challenge=challenge)
    late_user, late = academic()
    with pytest.raises(ApplicationRefused) as refused:
        apply_as(challenge, late_user, late)
    assert refused.value.code == "not_open"
    assert not ChallengeApplication.objects.filter(organization=late).exists()


@pytest.mark.parametrize("amount, message", [
    (Decimal("-1"), "金额不能为负数"),
    ("abc", "请输入金额数字"),
    (Decimal("1.005"), "最多保留两位小数"),
    (Decimal("1000000000000"), "金额过大"),
])
def test_a_bad_proposed_amount_is_a_field_error(challenge, amount, message):
    user, uni = academic()
    with pytest.raises(ValidationError) as refused:
        apply_as(challenge, user, uni, proposed_amount=amount)
    assert message in " ".join(refused.value.message_dict["proposed_amount"])
    assert not ChallengeApplication.objects.exists()


def test_money_is_never_a_float(challenge):
    user, uni = academic()
    with pytest.raises(TypeError):
        apply_as(challenge, user, uni, proposed_amount=1200000.0)
    assert not ChallengeApplication.objects.exists()

