import pytest
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once per module inside a transaction that is rolled back at the end, so the rows never
    leak into other modules; each test still runs in its own savepoint (django_db). Uploads go to a
    temporary folder, never the developer's media/."""
    from .world import build_world

    with (override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), django_db_blocker.unblock(),
          transaction.atomic()):
        yield build_world()
        transaction.set_rollback(True)


# The browser fixtures of tests/e2e (Debian's Chromium through Playwright), shared here.
from tests.e2e.conftest import browser, chromium_path, new_page  # noqa: E402,F401
