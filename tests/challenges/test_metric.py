"""The challenge_subsidies target: challenges whose 科创券 subsidy was granted in the year, shown on the
bureau's dashboard as a real number (no longer "data source pending")."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.agreements import metrics
from marketplace.challenges import services
from tests.factories import make_org, make_user

from .builders import academic, apply_as, published_challenge

pytestmark = pytest.mark.django_db


def _challenge(owner, org, bureau, *, awarded=True, subsidized_on: dt.date | None = None, closed=False):
    page = published_challenge(owner, org)
    application = apply_as(page, *academic())
    if closed:
        services.close_without_award(user=owner, challenge=page)
        return page
    if awarded:
        services.select_application(user=owner, application=application)
    if subsidized_on:
        services.grant_subsidy(user=bureau, challenge=page, amount=Decimal("200000"), granted_on=subsidized_on)
    return page


@pytest.fixture
def challenges_2023(site):
    """Worked out by hand: 2023 has two subsidies (March and 31 December); 2022 has one; 2024 has one.
    An awarded-but-unsubsidized, a closed and an open challenge count nowhere."""
    owner = make_user("enterprise")
    org = make_org("enterprise", members=[owner])
    bureau = make_user("bureau")
    _challenge(owner, org, bureau, subsidized_on=dt.date(2023, 3, 15))
    _challenge(owner, org, bureau, subsidized_on=dt.date(2023, 12, 31))
    _challenge(owner, org, bureau, subsidized_on=dt.date(2022, 12, 31))
    _challenge(owner, org, bureau, subsidized_on=dt.date(2024, 1, 1))
    _challenge(owner, org, bureau)  # awarded, no subsidy
    _challenge(owner, org, bureau, closed=True)
    _challenge(owner, org, bureau, awarded=False)  # still open


def test_challenge_subsidies_count_the_year_of_the_grant(challenges_2023):
    assert metrics.compute("challenge_subsidies", 2023) == metrics.MetricValue("challenge_subsidies", 2, True)
    assert metrics.compute("challenge_subsidies", 2022).value == 1
    assert metrics.compute("challenge_subsidies", 2024).value == 1
    assert metrics.compute("challenge_subsidies", 2021).value == 0


def test_a_subsidy_granted_today_counts_this_year(site):
    owner = make_user("enterprise")
    org = make_org("enterprise", members=[owner])
    today = timezone.localdate()
    before = metrics.compute("challenge_subsidies", today.year).value
    _challenge(owner, org, make_user("bureau"), subsidized_on=today)
    assert metrics.compute("challenge_subsidies", today.year).value == before + 1


def test_the_dashboard_shows_the_real_number(client, challenges_2023):
    client.force_login(make_user("bureau"))
    page = client.get("/dashboard/", {"year": 2023}).content.decode()
    assert re.search(r'data-metric="challenge_subsidies" data-actual="2" data-target="10"', page)
    card = re.search(r'data-metric="challenge_subsidies".*?</dl>', page, re.S).group(0)
    assert '<span class="actual">2</span>' in card
    assert "数据接入中" not in card
