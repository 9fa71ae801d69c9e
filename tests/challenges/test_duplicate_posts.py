"""No duplicates from the challenge forms: a challenge or an application posted several times at the
same moment (double click, two tabs) is saved once, and every post lands on it; never a 500."""

import pytest
from django.db import connection

from marketplace.challenges.models import ChallengeApplication, ChallengePage
from tests.conftest import require_service
from tests.races import post_at_once, redirects

from .builders import academic, published_challenge
from .test_views import challenge_post

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _postgres(db):
    require_service("PostgreSQL", connection.vendor == "postgresql",
                    "concurrent posts need PostgreSQL; run with DATABASE_URL (services/run_tests.sh)")


def test_the_same_challenge_posted_three_times_at_once_is_created_once(site, enterprise_user, enterprise):
    answers = post_at_once(enterprise_user, "/challenges/new/", [challenge_post(enterprise)] * 3)
    assert redirects(answers) == {"/challenges/mine/"}
    assert ChallengePage.objects.count() == 1


def test_the_same_application_posted_three_times_at_once_is_saved_once(site, enterprise_user, enterprise):
    challenge = published_challenge(enterprise_user, enterprise)
    user, org = academic()
    post = {"organization": org.pk, "team_lead": "李教授", "proposed_amount": "900000",
            "proposal": "耐盐基因聚合育种结合分子标记辅助选择。", "form_token": "3f1c0d5e9a7b4c2d8e6f0a1b2c3d4e5f"}
    answers = post_at_once(user, f"/challenges/{challenge.pk}/apply/", [post] * 3)
    application = ChallengeApplication.objects.get(challenge=challenge)
    assert application.organization == org
    assert redirects(answers) == {challenge.url}  # the challenge's public page
