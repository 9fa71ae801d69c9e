"""Whole public pages for visitors who are not signed in (marketplace/core/page_cache.py): the second request
is a cache read, a publish shows on the next request, zh and en never share, signed-in people and visitors
with a session never get (or fill) the shared copy, and every visitor gets a CSRF token of their own.
The cache is the real one of the run (Redis under services/run_tests.sh)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from marketplace.core.page_cache import PageCacheUpdateMiddleware
from marketplace.listings.models import AchievementPage
from tests.cms.builders import publish_listing
from tests.factories import achievement_data, make_org, make_user

pytestmark = pytest.mark.django_db

LIST = "/achievements/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def _get(client: Client, url: str, language: str = "zh-hans"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, (url, response.status_code)
    return response, len(queries)


def test_a_visitors_second_request_is_a_cache_read_without_sql(site, client):
    publish_listing(AchievementPage, achievement_data(make_org("university"), title="铝合金车身成果"))
    for url in ("/", LIST, f"{LIST}?field=aluminium&county=bincheng"):
        cold, cold_queries = _get(client, url)
        warm, warm_queries = _get(client, url)
        assert cold_queries > 0 and warm_queries == 0, (url, cold_queries, warm_queries)
        assert "铝合金车身成果" in warm.content.decode()
    # The query string is part of the key in a fixed order: the same filters in another order are a hit.
    _, queries = _get(client, f"{LIST}?county=bincheng&field=aluminium")
    assert queries == 0


def test_a_publish_shows_on_the_next_request_of_the_list_and_home(site, client):
    university = make_org("university")
    publish_listing(AchievementPage, achievement_data(university, title="第一项成果"))
    for url in ("/", LIST):
        _get(client, url)
        assert _get(client, url)[1] == 0  # cached now
    publish_listing(AchievementPage, achievement_data(university, title="刚发布的新成果"))
    for url in ("/", LIST):
        response, queries = _get(client, url)
        assert queries > 0 and "刚发布的新成果" in response.content.decode(), url


def test_chinese_and_english_pages_are_never_mixed(site, client):
    publish_listing(AchievementPage, achievement_data(make_org("university")))
    for _ in range(2):  # the second round is served from the cache in both languages
        zh = _get(client, "/", "zh-hans")[0].content.decode()
        en = _get(client, "/", "en")[0].content.decode()
        assert "最新科技成果" in zh and "Latest research results" not in zh
        assert "Latest research results" in en and "最新科技成果" not in en


def test_signed_in_people_never_get_or_fill_the_shared_copy(site):
    visitor, member = Client(), Client()
    member.force_login(make_user("enterprise"))
    _get(visitor, "/")
    assert _get(visitor, "/")[1] == 0  # the visitors' copy exists
    page, queries = _get(member, "/")
    assert queries > 0 and "退出" in page.content.decode() and page.get("X-Page-Cache") is None
    # The other way round: a page a signed-in person saw first is not what the next visitor receives.
    _get(member, LIST)
    page, _ = _get(Client(), LIST)
    assert "退出" not in page.content.decode() and "登录" in page.content.decode()


def test_a_visitor_with_a_session_or_a_waiting_message_is_not_served_the_shared_copy(site, client):
    _get(client, "/")
    assert _get(client, "/")[1] == 0
    with_session = Client()
    session = with_session.session  # an anonymous session (e.g. a page password entered) lives in its cookie
    session["seen"] = True
    session.save()
    assert _get(with_session, "/")[1] > 0
    with_message = Client()
    with_message.cookies["messages"] = "pending"
    assert _get(with_message, "/")[1] > 0


def test_every_visitor_gets_a_csrf_token_of_their_own_from_the_cached_page(site):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page, _ = _get(first, "/")
    second_page, queries = _get(second, "/")
    assert queries == 0  # served from the cache ...
    first_token = TOKEN.search(first_page.content.decode()).group(1)
    second_token = TOKEN.search(second_page.content.decode()).group(1)
    assert first_token != second_token  # ... with this visitor's own token and cookie
    assert "page-cache-csrf" not in second_page.content.decode()
    switched = second.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": second_token})
    assert switched.status_code == 302


def test_a_response_that_sets_another_cookie_is_not_stored(db):
    request = RequestFactory().get("/somewhere/")
    request._page_cache_key = "test:page-cache:cookie"
    with_cookie = HttpResponse("per-visitor")
    with_cookie.set_cookie("tracking", "visitor-42")
    PageCacheUpdateMiddleware(lambda r: with_cookie)(request)
    assert cache.get(request._page_cache_key) is None
    PageCacheUpdateMiddleware(lambda r: HttpResponse("the same for everyone"))(request)
    assert cache.get(request._page_cache_key)[0] == b"the same for everyone"


def test_a_csrf_token_is_only_stored_as_a_placeholder(db, settings):
    request = RequestFactory().get("/somewhere/")
    request._page_cache_key = "test:page-cache:csrf"
    form = '<form><input type="hidden" name="csrfmiddlewaretoken" value="Abc123tokenOfTheFirstVisitor"></form>'
    # A token in the body without this response's CSRF cookie: not known to be the one to replace.
    PageCacheUpdateMiddleware(lambda r: HttpResponse(form))(request)
    assert cache.get(request._page_cache_key) is None
    with_cookie = HttpResponse(form)
    with_cookie.set_cookie(settings.CSRF_COOKIE_NAME, "secret-of-the-first-visitor")
    PageCacheUpdateMiddleware(lambda r: with_cookie)(request)
    body, headers = cache.get(request._page_cache_key)
    assert b"Abc123tokenOfTheFirstVisitor" not in body and b"@@page-cache-csrf-token@@" in body
    assert not [name for name, _ in headers if name.lower() == "set-cookie"]
