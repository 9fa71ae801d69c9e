import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once per module inside a transaction that is rolled back at the end, so the rows never
    leak into other modules; each test still runs in its own savepoint (django_db)."""
    from .world import build_world

    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)
        built.demand_draft.attachment.delete(save=False)  # files are not rolled back


# The browser fixtures of tests/e2e (Debian's Chromium through Playwright), shared here.
from tests.e2e.conftest import browser, chromium_path, new_page  # noqa: E402,F401
