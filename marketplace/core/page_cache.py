"""Whole public pages cached for visitors who are not signed in, in the shared cache (marketplace.core.cache).

Django's own split (UpdateCacheMiddleware first, FetchFromCacheMiddleware last), with our own key:

- PageCacheFetchMiddleware sits last in MIDDLEWARE and looks in its process_view, so a hit has been through
  every request step (rate limits included) and is only a cache read. It only serves the public views
  (Wagtail's page serving, the search page, the match API) to a GET that carries no session cookie, no
  messages cookie and no API key or Authorization header: such a request cannot belong to a signed-in user
  (request.user is never touched, so no session is read or created), cannot have a message waiting, and
  cannot have passed a page's password (Wagtail keeps that in the session).
- PageCacheUpdateMiddleware sits near the top, so it sees the response every middleware made: the final
  Set-Cookie (CSRF token for a form, a new session, a message), Vary and Cache-Control. It stores only a
  200 that sets no cookie, is not private/no-store, and whose body used no CSP nonce.

The key is the host, path, sorted query string, language and the generations of everything public pages
show (publication, search index, match feedback, view restrictions), read before the view runs: a change
during the render stores under a key that its bump has already retired. Entries also expire after
PAGE_CACHE_SECONDS, the staleness the fragments already accept for what no signal announces (dates passing,
the deals counter, an event's seats).

CSP: the public policy has no nonce (scripts from 'self' only). A response whose template did read
request.csp_nonce is never stored, since its body and header would then carry one nonce for everyone; and
the CSP headers are not stored at all, the security middleware writes them afresh on every hit.

CSRF: every page's language switch is a POST form with a CSRF token, so every page sets the CSRF cookie.
The stored body has each token the page printed replaced by a placeholder, and a hit fills in this
visitor's own token (django.middleware.csrf.get_token, which also has CsrfViewMiddleware set this visitor's
cookie): no visitor ever receives a token tied to another visitor's cookie. A response that set the CSRF
cookie without printing a token input (a token used some other way) is not stored. Any other cookie:
not stored."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils.cache import cc_delim_re
from django.utils.http import urlencode

from marketplace.core import cache as shared_cache

PAGE_GENERATIONS = (shared_cache.PUBLICATION, shared_cache.SEARCH, shared_cache.FEEDBACK,
                    shared_cache.RESTRICTIONS)
# Views whose anonymous GET is the same for every visitor. Everything else (accounts, my/, deals, payments,
# the partner API, admin and previews) is never looked up.
PUBLIC_VIEWS = {"wagtail_serve", "search:search", "search_api:demand_matches", "search_api:achievement_matches"}
NOT_STORED_HEADERS = {"set-cookie", "content-length", "content-security-policy", "content-security-policy-report-only"}
HIT_HEADER = "X-Page-Cache"
CSRF_PLACEHOLDER = b"@@page-cache-csrf-token@@"
# What {% csrf_token %} prints (django.template.defaulttags.CsrfTokenNode).
CSRF_INPUT = re.compile(rb'<input type="hidden" name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)">')


def _seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 60))


def _may_be_shared(request: HttpRequest) -> bool:
    if request.method != "GET" or _seconds() <= 0 or getattr(request, "is_preview", False):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return False
    return "Authorization" not in request.headers and "X-API-Key" not in request.headers


def page_key(request: HttpRequest) -> str:
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    gens = shared_cache.generations(PAGE_GENERATIONS)
    url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return shared_cache.public_key("page", url, generations=()) + f":{gens}"


class PageCacheFetchMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or match.view_name not in PUBLIC_VIEWS or not _may_be_shared(request):
            return None
        key = page_key(request)
        stored = cache.get(key)
        if stored is None:
            request._page_cache_key = key  # PageCacheUpdateMiddleware stores the response if it may
            return None
        content, headers = stored
        if CSRF_PLACEHOLDER in content:
            content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        if getattr(settings, "PAGE_CACHE_HIT_HEADER", False):
            response[HIT_HEADER] = "hit"
        return response


def _shareable_body(request: HttpRequest, response: HttpResponseBase) -> bytes | None:
    """The body to store, CSRF tokens replaced by the placeholder; None when the response may not be shared."""
    if response.status_code != 200 or response.streaming:
        return None
    if getattr(request, "_csp_nonce", None):  # the body carries this response's nonce
        return None
    control = {d.strip().split("=")[0].lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}
    if control & {"private", "no-store", "no-cache"}:
        return None
    cookies = set(response.cookies)
    if cookies - {settings.CSRF_COOKIE_NAME}:
        return None
    body = response.content
    tokens = set(CSRF_INPUT.findall(body))
    # A CSRF cookie with no token input to replace (a token used some other way), or a token without this
    # response's cookie: either way the body holds a token that is not the next visitor's.
    if bool(tokens) != bool(cookies):
        return None
    for token in tokens:
        body = body.replace(token, CSRF_PLACEHOLDER)
    return body


class PageCacheUpdateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        body = _shareable_body(request, response) if key else None
        if body is not None:
            headers = [(k, v) for k, v in response.items() if k.lower() not in NOT_STORED_HEADERS]
            cache.set(key, (body, headers), _seconds())
        return response
