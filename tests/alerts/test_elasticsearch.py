"""The alerts on the production engine: the same flow with the matching running on Elasticsearch."""

import pytest

from marketplace.alerts.models import Alert
from marketplace.listings.models import AchievementPage, DemandPage
from tests.conftest import require_service
from tests.search.conftest import drop_elasticsearch_indices, elasticsearch_status, use_elasticsearch

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]


@pytest.fixture
def elasticsearch(settings):
    from search.backends import get_backend

    available, reason = elasticsearch_status()
    require_service("Elasticsearch", available, reason)
    use_elasticsearch(settings)
    backend = get_backend()
    backend.reset()
    yield backend
    drop_elasticsearch_indices(backend)


def test_a_new_result_alerts_the_enterprise_through_elasticsearch_matching(
    elasticsearch, site, enterprise_user, enterprise, university_user, university, publish_live
):
    demand = publish_live(enterprise_user, enterprise, DemandPage)
    result = publish_live(university_user, university, AchievementPage)
    alert = Alert.objects.get()
    assert (alert.user, alert.listing_id, alert.matched_id) == (enterprise_user, result.pk, demand.pk)
    assert any(reason.startswith("共同关键词：") for reason in alert.reasons)
    assert elasticsearch.name == "elasticsearch"
