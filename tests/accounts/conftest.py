import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts sign-ups and confirmation e-mails per address and IP in the cache; each test
    starts with none, as a new visitor would."""
    cache.clear()
    yield
    cache.clear()
