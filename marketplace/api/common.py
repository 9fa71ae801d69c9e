"""What every operation shares: key authentication with its per-key rate limit, scopes, the acting person,
page pagination, ETags, and guarded input types."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.http import parse_etags
from django_ratelimit.core import is_ratelimited
from ninja import Path, Query, Schema
from ninja.security import APIKeyHeader

from accounts.models import User
from accounts.permissions import is_member

from . import services
from .errors import ApiError
from .models import ApiKey
from .schemas import MAX_PAGE_SIZE

MAX_ID = 2**31 - 1  # page and row ids are 32-bit; larger numbers are a 422, not a database error
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


class KeyAuth(APIKeyHeader):
    """X-API-Key: bzk_… . Looked up in the database on every request (a revoked key fails at once), then
    counted against the key's own per-minute limit in the shared cache."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiKey | None:
        api_key = services.authenticate(key or "")
        if api_key is None:
            return None
        if settings.RATELIMIT_ENABLE and is_ratelimited(
                request, group="partner-api-key", key=lambda _group, _request: f"apikey:{api_key.pk}",
                rate=f"{api_key.rate_limit}/m", increment=True):
            raise ApiError("rate_limited")
        return api_key


def key_of(request: HttpRequest, scope: str) -> ApiKey:
    key: ApiKey = request.auth  # type: ignore[attr-defined]
    if not key.has_scope(scope):
        raise ApiError("scope_missing")
    return key


def acting_user(key: ApiKey) -> User:
    """Writes are recorded in the name of the admin who made the key, while they still belong to the
    organization: a key does not outlive its maker's membership."""
    user = key.created_by
    if user is None or not user.is_active or not is_member(user, key.organization):
        raise ApiError("key_owner_inactive")
    return user


def idempotency_key(request: HttpRequest) -> str | None:
    """Idempotency-Key header: a repeated POST with the same key saves nothing twice (409)."""
    value = request.headers.get("Idempotency-Key", "").strip()
    return f"api:{value[:80]}" if value else None


class Paging(Schema):
    page: int = Query(1, ge=1, le=10000)
    page_size: int = Query(20, ge=1, le=MAX_PAGE_SIZE)


def paginate(items: Any, paging: Paging) -> dict:
    """`items`: a queryset or a list."""
    count = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
    start = (paging.page - 1) * paging.page_size
    return {"count": count, "page": paging.page, "page_size": paging.page_size,
            "results": list(items[start:start + paging.page_size])}


def etag_response(request: HttpRequest, obj: Schema) -> HttpResponse:
    """200 with an ETag over the exact body, or 304 when the caller already holds that body."""
    body = obj.model_dump_json().encode()
    tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    held = {t.removeprefix("W/") for t in parse_etags(request.headers.get("If-None-Match", ""))}
    if tag in held or "*" in held:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = tag
    response["Cache-Control"] = "private, no-cache"
    return response
