"""Match-alert fixtures: Celery tasks run eagerly (in-process) here — the worker fixture lives with the
task-queue tests; the matching is the real one, on the embedded engine unless a test asks for
Elasticsearch."""

import pytest

from marketplace.listings.models import AchievementPage, DemandPage
from tests.factories import make_org, make_user
from tests.search.helpers import publish


@pytest.fixture(autouse=True)
def _eager_tasks(settings):
    from celery import current_app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True
    # The same on the app object, whether or not it reads Django settings (config/celery.py does).
    saved = current_app.conf.task_always_eager, current_app.conf.task_eager_propagates
    current_app.conf.task_always_eager = True
    current_app.conf.task_eager_propagates = True
    yield
    current_app.conf.task_always_eager, current_app.conf.task_eager_propagates = saved


@pytest.fixture(autouse=True)
def _embedded_search(settings, tmp_path):
    settings.SEARCH_BACKEND = "embedded"
    settings.SEARCH_EMBEDDED_PATH = tmp_path / "search-index"
    from search.backends import get_backend

    get_backend().reset()


@pytest.fixture
def colleague(enterprise):
    """A second member of the enterprise: every member is told, not only the demand's author."""
    from accounts.models import Membership

    user = make_user("enterprise")
    Membership.objects.create(user=user, organization=enterprise)
    return user


@pytest.fixture
def outsider(site, publish_live):
    """A member of an unrelated enterprise with a demand in another field."""
    from tests.factories import field

    user = make_user("enterprise")
    org = make_org("enterprise", name="滨州盐碱地农业有限公司", members=[user])
    user.demand = publish_live(user, org, DemandPage, title="耐盐碱牧草种植技术需求", field=field("seed-industry"),
                              keywords="牧草,盐碱地", description="盐碱地牧草高产种植与改良。")
    return user


@pytest.fixture
def publish_live(django_capture_on_commit_callbacks):
    """Publish a listing and run what waits for its commit (search push, the alert task), as a real
    commit would."""

    def run(user, org, model, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return publish(user, org, model, **overrides)

    return run


@pytest.fixture
def demand(site, enterprise_user, enterprise, colleague, publish_live):
    """The enterprise's open demand (battery trays, aluminium lightweighting): published first."""
    return publish_live(enterprise_user, enterprise, DemandPage)


@pytest.fixture
def new_result(demand, university_user, university, publish_live):
    """The university's result that matches the demand well, published after it."""
    return publish_live(university_user, university, AchievementPage)
