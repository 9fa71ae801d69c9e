"""Rate limits for the whole site, counted in the shared cache (Redis in production, tests and CI; local
memory under `make run`), so every worker sees the same counters.

One middleware covers what has no limit of its own: every POST form (per user, or per IP for visitors),
the search page and the match API. allauth limits login, sign-up and password reset itself
(ACCOUNT_RATE_LIMITS, also in the cache) and answers through `too_many_requests` below (config.urls'
handler429). The limits are settings (RATE_LIMITS); tests set them low."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

logger = logging.getLogger(__name__)
API_PREFIX = "/api/"


def client_key(group: str, request: HttpRequest) -> str:
    """Signed-in users are counted per account (colleagues behind one office IP do not share a budget);
    visitors per IP address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "ip:" + request.META.get(settings.RATELIMIT_IP_META_KEY, "")


def _rules(request: HttpRequest) -> Iterator[tuple[str, str]]:
    limits = settings.RATE_LIMITS
    path = request.path_info
    if request.method == "POST" and not any(path.startswith(p) for p in settings.RATE_LIMIT_EXEMPT_PATHS):
        yield "post", limits["post"]
    if path.startswith(API_PREFIX):
        yield "api", limits["api"]
    elif request.resolver_match is not None and request.resolver_match.view_name == "search:search":
        yield "search", limits["search"]


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """429 in the user's language: JSON with the reason for the API, a page for everything else."""
    message = _("操作过于频繁，请稍后再试。")
    if request.path_info.startswith(API_PREFIX):
        # The partner API's error shape (code, message, message_en); error/detail kept for the older clients.
        response: HttpResponse = JsonResponse({
            "code": "rate_limited", "message": message, "message_en": "Too many requests; try again later.",
            "errors": [], "error": "rate_limited", "detail": message}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = "60"
    return response


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, _view_func, _view_args, _view_kwargs) -> HttpResponse | None:
        if not settings.RATELIMIT_ENABLE:
            return None
        for group, rate in _rules(request):
            if is_ratelimited(request, group=group, key=client_key, rate=rate, increment=True):
                logger.warning("rate limit %s (%s) reached by %s on %s", group, rate,
                               client_key(group, request), request.path_info)
                return too_many_requests(request)
        return None
