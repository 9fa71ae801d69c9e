"""Two enterprises, A and B, each with an admin and an API key; the site's page tree exists."""

from dataclasses import dataclass

import pytest

from accounts.models import Organization, User
from marketplace.api import services
from tests.factories import make_org, make_user

ALL_SCOPES = ["read", "write_listings", "events"]


@dataclass
class Partner:
    user: User
    org: Organization
    key: str

    def headers(self) -> dict:
        return {"HTTP_X_API_KEY": self.key}


def make_partner(name: str, scopes=ALL_SCOPES, rate_limit: int = 120, kind: str = "enterprise") -> Partner:
    user = make_user("enterprise" if kind == "enterprise" else "university")
    org = make_org(kind, name=name, members=[user])
    _key, whole = services.create_key(user=user, organization=org, name="同步", scopes=list(scopes),
                                      rate_limit=rate_limit)
    return Partner(user, org, whole)


@pytest.fixture(autouse=True)
def _roomy_site_limit(settings):
    """The site-wide per-IP /api/ limit would mix every test's calls from 127.0.0.1; the per-key limit is
    what these tests look at (and one test looks at the site limit on purpose)."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "100000/m"}


@pytest.fixture
def partner_a(site) -> Partner:
    return make_partner("滨州甲铝业有限公司")


@pytest.fixture
def partner_b(site) -> Partner:
    return make_partner("滨州乙化工有限公司")
