import pytest


@pytest.fixture
def organizer(db):
    from tests.factories import make_user

    return make_user("organizer")


@pytest.fixture
def event_site(site):
    """The home page plus the events section."""
    from marketplace.events.services.creation import ensure_event_index

    ensure_event_index()
    return site


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
