import pytest
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def world_private_media(tmp_path_factory):
    return tmp_path_factory.mktemp("private-media")


@pytest.fixture(autouse=True)
def _private_media_in_tmp(settings, world_private_media):
    """The world's private files (a draft's attachment, a contract scan) are written once per module: every
    test of the module must read the same private folder (this replaces the suite's per-test folder)."""
    settings.PRIVATE_MEDIA_ROOT = world_private_media


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory, world_private_media):
    """Built once per module inside a transaction that is rolled back at the end, so the rows never
    leak into other modules; each test still runs in its own savepoint (django_db). Uploads go to
    temporary folders, never the developer's media/ or var/."""
    from .world import build_world

    with (override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"), PRIVATE_MEDIA_ROOT=world_private_media),
          django_db_blocker.unblock(), transaction.atomic()):
        yield build_world()
        transaction.set_rollback(True)


# The browser fixtures of tests/e2e (Debian's Chromium through Playwright), shared here.
from tests.e2e.conftest import browser, chromium_path, new_page  # noqa: E402,F401
