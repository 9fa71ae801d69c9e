"""schemathesis against the live test server (real PostgreSQL) with a real key that holds every scope:
generated requests to every operation, none may answer 5xx, and every answer must match the OpenAPI
document (status code, content type, body schema). Examples per operation are bounded (EXAMPLES) to keep
the run near a minute on two cores."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from marketplace.listings.models import AchievementPage, DemandPage, PilotBasePage
from tests.events.builders import make_event
from tests.search.helpers import publish

from .conftest import make_partner

EXAMPLES = 8
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def partner_key(db, site, settings):
    """A partner with published listings of each kind and an open event, so list answers carry real rows."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "100000/m", "post": "100000/m"}
    partner = make_partner("滨州丁新材料有限公司", rate_limit=600)
    for model in (AchievementPage, DemandPage, PilotBasePage):
        publish(partner.user, partner.org, model)
    make_event()
    return partner.key


# serialized_rollback, like every transactional test here: the flush afterwards must give the next tests back the
# migrations' data (the page tree's root, the taxonomy); a bare transactional test leaves them a broken database.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_operation_answers_within_its_schema(live_server, partner_key):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 19
    failures = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            def call(case):
                case.call_and_validate(base_url=live_server.url, headers={"X-API-Key": partner_key}, checks=CHECKS)

            try:
                call()
            except Exception as failure:  # noqa: BLE001 - every operation is tried; all failures are reported
                failures.append(f"{operation.label} ({mode}): {failure}")
    assert not failures, "\n\n".join(failures)
