"""The demo challenges load_demo adds: open calls, one awarded, two subsidized this year; idempotent."""

import pytest
from django.utils import timezone

from cms.management.commands._demo_challenges import CHALLENGES, load_challenges
from cms.management.commands.load_demo import Command
from marketplace.agreements import metrics
from marketplace.challenges import selectors
from marketplace.challenges.models import ChallengeApplication, ChallengePage

pytestmark = pytest.mark.django_db


def test_demo_challenges_fill_each_section_once(site, client):
    command = Command()
    command.created = {"organizations": 0, "users": 0}
    orgs = command.load_organizations()
    users = command.load_users(orgs)

    assert load_challenges(orgs, users) == len(CHALLENGES)
    pages, applications = ChallengePage.objects.count(), ChallengeApplication.objects.count()
    assert load_challenges(orgs, users) == 0
    assert (ChallengePage.objects.count(), ChallengeApplication.objects.count()) == (pages, applications)

    sections = selectors.challenges_by_status()
    assert (len(sections["open"]), len(sections["awarded"]), len(sections["subsidized"])) == (3, 1, 2)
    assert metrics.compute("challenge_subsidies", timezone.localdate().year).value == 2
    html = client.get("/challenges/").content.decode()
    for spec in CHALLENGES:
        assert spec.title in html
