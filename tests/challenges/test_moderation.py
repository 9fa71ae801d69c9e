"""An enterprise posts a challenge through the moderation workflow: it is private until the bureau
approves it, edits wait for approval, and republishing never rewinds what happened since."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from marketplace.challenges import selectors, services
from marketplace.challenges.models import ChallengeApplication, ChallengeOutcome, ChallengePage
from marketplace.challenges.states import ChallengeStatus
from marketplace.listings.selectors import moderation_status
from tests.factories import make_org, make_user
from tests.listings.helpers import approve, reject

from .builders import academic, apply_as, challenge_data, published_challenge, staff_client

pytestmark = pytest.mark.django_db


def test_a_submitted_challenge_is_private_until_approved(site, enterprise_user, enterprise, client):
    page = services.create_challenge(user=enterprise_user, data=challenge_data(enterprise))
    page.refresh_from_db()
    assert not page.live
    assert moderation_status(page)["code"] == "in_review"
    assert client.get(f"/challenges/{page.slug}/").status_code == 404
    assert page not in selectors.challenges_by_status()["open"]

    assert approve(staff_client(), page, comment="同意发布").status_code == 302
    page.refresh_from_db()
    assert page.live
    response = client.get(page.url)
    assert response.status_code == 200
    assert "一体化压铸" in response.content.decode()
    assert page in selectors.challenges_by_status()["open"]


def test_a_rejected_challenge_stays_private_and_carries_the_comment(site, enterprise_user, enterprise):
    page = services.create_challenge(user=enterprise_user, data=challenge_data(enterprise))
    reject(staff_client(), page, comment="请补充考核指标")
    page.refresh_from_db()
    assert not page.live
    assert moderation_status(page) == {"code": "rejected", "label": "已退回", "comment": "请补充考核指标"}


def test_only_an_enterprises_members_may_post_for_it(site, enterprise, university, university_user):
    outsider = make_user("enterprise")
    with pytest.raises(PermissionDenied):
        services.create_challenge(user=outsider, data=challenge_data(enterprise))
    # A university is not an enterprise: it applies to challenges, it does not post them.
    with pytest.raises(ValidationError) as refused:
        services.create_challenge(user=university_user, data=challenge_data(university))
    assert "organization" in refused.value.message_dict
    assert not ChallengePage.objects.exists()


def test_an_edit_to_a_live_challenge_waits_for_approval(site, enterprise_user, enterprise, client):
    page = published_challenge(enterprise_user, enterprise)
    services.update_challenge(user=enterprise_user, page=page, data={"bounty": Decimal("2000000")})
    page.refresh_from_db()
    assert page.bounty == Decimal("1500000.00"), "the live bounty must not change before approval"
    assert "150万元" in client.get(page.url).content.decode()

    approve(staff_client(), page)
    page.refresh_from_db()
    assert page.bounty == Decimal("2000000.00")
    assert "200万元" in client.get(page.url).content.decode()


def test_republishing_an_older_revision_never_rewinds_the_award(site, enterprise_user, enterprise):
    page = published_challenge(enterprise_user, enterprise)
    services.update_challenge(user=enterprise_user, page=page, data={"title": "压铸件缺陷控制（修订）"})
    uni_user, uni = academic()
    application = apply_as(page, uni_user, uni)
    services.select_application(user=enterprise_user, application=application)

    # The edit submitted before the award is approved afterwards: a new live revision...
    approve(staff_client(), page)
    page.refresh_from_db()
    assert page.title == "压铸件缺陷控制（修订）"
    # ...and the outcome, which lives outside the page revision, is untouched.
    outcome = ChallengeOutcome.objects.get(challenge=page)
    assert (outcome.status, outcome.selected_application) == (ChallengeStatus.AWARDED, application)
    page.save_revision().publish()
    assert selectors.status_of(page) == ChallengeStatus.AWARDED


def test_a_decided_challenge_can_no_longer_be_edited(site, enterprise_user, enterprise):
    page = published_challenge(enterprise_user, enterprise)
    services.close_without_award(user=enterprise_user, challenge=page, reason="需求调整")
    with pytest.raises(services.InvalidTransition):
        services.update_challenge(user=enterprise_user, page=page, data={"title": "新标题"})
    assert page.get_latest_revision_as_object().title == challenge_data(enterprise)["title"]


def test_another_enterprise_cannot_edit(site, enterprise_user, enterprise):
    page = published_challenge(enterprise_user, enterprise)
    other = make_user("enterprise")
    make_org("enterprise", members=[other])
    with pytest.raises(PermissionDenied):
        services.update_challenge(user=other, page=page, data={"title": "篡改"})


def test_deleting_an_awarded_challenge_takes_its_outcome_and_applications_with_it(site, enterprise_user, enterprise):
    page = published_challenge(enterprise_user, enterprise)
    application = apply_as(page, *academic())
    apply_as(page, *academic())
    services.select_application(user=enterprise_user, application=application)
    ChallengePage.objects.get(pk=page.pk).delete()
    assert not ChallengeOutcome.objects.exists()
    assert not ChallengeApplication.objects.exists()
