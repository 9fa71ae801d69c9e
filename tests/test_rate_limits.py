"""Rate limits, counted in the shared Redis cache: login, sign-up and password reset (allauth), the search page,
the match API and every POST form answer 429 in Chinese once their budget is used up. The limits are
settings; these tests set them to a few requests so no test waits for a window to pass."""

import os

import pytest
from django.core.cache import cache, caches
from django.urls import reverse

from tests.conftest import require_service
from tests.factories import make_user

pytestmark = pytest.mark.django_db
MESSAGE = "操作过于频繁，请稍后再试。"


def _redis_answers() -> tuple[bool, str]:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        return False, "REDIS_URL is not set; run services/redis.sh start (services/run_tests.sh exports it)"
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=3).ping()), url
    except redis.RedisError as error:
        return False, f"{url} did not answer PING ({error})"


@pytest.fixture(autouse=True)
def shared_redis(settings):
    ok, reason = _redis_answers()
    require_service("Redis", ok, reason)
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    settings.RATE_LIMITS = {"post": "100/m", "search": "100/m", "api": "100/m"}


def test_the_cache_is_the_redis_server_every_worker_shares():
    import redis

    cache.set("shared-probe", "滨州", 30)
    # Another process (here: a plain client) reads the same value from the server.
    raw = redis.Redis.from_url(os.environ["REDIS_URL"])
    assert raw.exists(caches["default"].make_and_validate_key("shared-probe")) == 1
    assert cache.get("shared-probe") == "滨州"


def _assert_429_page(response):
    assert response.status_code == 429
    assert MESSAGE in response.content.decode() or "操作过于频繁" in response.content.decode()
    assert response["Retry-After"] == "60"


def test_login_is_limited_per_ip(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    data = {"login": "nobody@bzkj.example.cn", "password": "wrong-password-1"}
    for _ in range(2):
        assert client.post(reverse("account_login"), data).status_code == 200  # the form with its error
    _assert_429_page(client.post(reverse("account_login"), data))


def test_signup_is_limited_per_ip(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1/m/ip"}
    client.post(reverse("account_signup"), {"email": "a@bzkj.example.cn", "password1": "x", "password2": "y"})
    _assert_429_page(client.post(reverse("account_signup"), {"email": "b@bzkj.example.cn", "password1": "x",
                                                             "password2": "y"}))


def test_password_reset_is_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "1/m/ip"}
    client.post(reverse("account_reset_password"), {"email": "a@bzkj.example.cn"})
    _assert_429_page(client.post(reverse("account_reset_password"), {"email": "a@bzkj.example.cn"}))


def test_search_page_is_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "2/m"}
    for _ in range(2):
        assert client.get(reverse("search:search"), {"q": "铝合金"}).status_code == 200
    _assert_429_page(client.get(reverse("search:search"), {"q": "铝合金"}))


def test_match_api_answers_429_in_json(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "2/m"}
    url = reverse("search_api:demand_matches", args=[987654])
    for _ in range(2):
        assert client.get(url).status_code != 429
    response = client.get(url)
    assert response.status_code == 429 and response["Content-Type"].startswith("application/json")
    assert response.json() == {"code": "rate_limited", "message": MESSAGE, "message_en": "Too many requests; try "
                               "again later.", "errors": [], "error": "rate_limited", "detail": MESSAGE}


def test_every_post_form_is_limited_per_user(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": "2/m"}
    first, second = make_user("enterprise"), make_user("enterprise")
    client.force_login(first)
    for _ in range(2):
        assert client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"}).status_code == 302
    _assert_429_page(client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"}))
    # Another account has its own budget, even from the same address.
    client.force_login(second)
    assert client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"}).status_code == 302


def test_the_stripe_webhook_is_not_limited_as_a_form(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": "1/m"}
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_techmarket"
    for _ in range(3):  # unsigned: refused by the signature check, never by the form limit
        assert client.post(reverse("payments:stripe_webhook"), b"{}", content_type="application/json"
                           ).status_code == 400
