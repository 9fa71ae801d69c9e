import os

import pytest
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_service(name: str, available: bool, reason: str) -> None:
    """Under CI a missing service is a failure, never a skip; locally a skip with the reason."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{name} is required under CI=true but is not available: {reason}")
    pytest.skip(f"{name} not available: {reason}")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Several test runs may share one PostgreSQL server (developers working side by side); give each
    run its own test database so they cannot drop each other's."""
    from pytest_django.fixtures import _set_suffix_to_test_databases

    _set_suffix_to_test_databases(suffix=f"run{os.getpid()}")


@pytest.fixture(autouse=True, scope="session")
def _database_is_postgres_in_ci(django_db_setup, django_db_blocker):
    """The suite's evidence must come from PostgreSQL in CI, not SQLite."""
    if IN_CI:
        with django_db_blocker.unblock():
            assert connection.vendor == "postgresql", "CI must run the tests on PostgreSQL (set DATABASE_URL)"


@pytest.fixture
def site(db):
    from cms.site_setup import ensure_site_structure

    return ensure_site_structure()


@pytest.fixture
def enterprise_user(db):
    from tests.factories import make_user

    return make_user("enterprise")


@pytest.fixture
def university_user(db):
    from tests.factories import make_user

    return make_user("university")


@pytest.fixture
def bureau_user(db):
    from tests.factories import make_user

    return make_user("bureau")


@pytest.fixture
def enterprise(enterprise_user):
    from tests.factories import make_org

    return make_org("enterprise", name="滨州轻量化汽车部件有限公司", members=[enterprise_user])


@pytest.fixture
def university(university_user):
    from tests.factories import make_org

    return make_org("university", name="滨州学院", members=[university_user])


@pytest.fixture(autouse=True)
def _embedded_index_in_tmp(settings, tmp_path):
    """Listings published in any test are pushed to the search index after commit: keep that index in
    the test's own temp folder, never the developer's var/search-index."""
    settings.SEARCH_EMBEDDED_PATH = tmp_path / "search-index"


@pytest.fixture(autouse=True)
def _private_media_in_tmp(settings, tmp_path):
    """Private uploads written by any test land in the test's temp folder, never the developer's var/."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture(autouse=True)
def _fresh_cache_namespace(settings):
    """Each test counts its rate limits (and caches anything) under its own key prefix in the shared cache,
    so one test's requests never use up another's budget, and nothing is flushed under a parallel run."""
    import uuid

    caches = {name: dict(config) for name, config in settings.CACHES.items()}
    for config in caches.values():
        config["KEY_PREFIX"] = f"{config.get('KEY_PREFIX', '')}:{uuid.uuid4().hex[:12]}"
    settings.CACHES = caches


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create thousands of accounts; the production hasher (PBKDF2, a million rounds) made that most of
    the suite's time. New passwords here use a fast hasher; the production hashers stay listed, so passwords
    made by a subprocess (load_demo, the worker) still verify. No test is about the hasher's strength."""
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *global_settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's language (Chinese). LocaleMiddleware leaves the last request's
    language active in the thread, so a test that asked for English would otherwise leak it into the next."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


from tests.worker import _worker_process, task_worker  # noqa: E402,F401  (the real Celery worker fixture)
