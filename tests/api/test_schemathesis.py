"""schemathesis against the live test server (real PostgreSQL) with a real key that holds every scope:
generated requests to every operation, none may answer 5xx, and every answer must match the OpenAPI
document (status code, content type, body schema). Examples per operation are bounded (EXAMPLES) to keep
the run near a minute on two cores."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from marketplace.listings.models import AchievementPage, DemandPage, PilotBasePage
from tests.events.builders import make_event
from tests.search.helpers import publish

from .conftest import make_partner

EXAMPLES = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def api_schema(live_server, transactional_db, site, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "100000/m", "post": "100000/m"}
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")


@pytest.fixture
def partner_key(api_schema):
    """A partner with published listings of each kind and an open event, so detail paths can hit real rows."""
    partner = make_partner("滨州丁新材料有限公司", rate_limit=600)
    for model in (AchievementPage, DemandPage, PilotBasePage):
        publish(partner.user, partner.org, model)
    make_event()
    return partner.key


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture])
def test_every_operation_answers_within_its_schema(case, partner_key, live_server):
    case.call_and_validate(headers={"X-API-Key": partner_key}, checks=CHECKS)
