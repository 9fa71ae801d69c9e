"""Every error the API answers, as JSON {"code", "message", "message_en"} (plus "errors" for field problems).

The codes are the contract partners program against: never rename one. The Chinese message is for people;
message_en is a fixed English text of the same meaning for partners' logs."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from marketplace.core.one_time import DuplicateSubmission
from marketplace.events.services.registrations import RegistrationRefused

# code: (HTTP status, Chinese message, English message)
CATALOG: dict[str, tuple[int, Any, str]] = {
    "bad_request": (400, gettext_lazy("请求格式有误。"), "The request is malformed."),
    "unauthorized": (401, gettext_lazy("缺少有效的接口密钥（请求头 X-API-Key），或密钥已被吊销。"),
                     "A valid API key (header X-API-Key) is missing, or the key was revoked."),
    "scope_missing": (403, gettext_lazy("该接口密钥没有此操作的权限范围。"),
                      "This API key lacks the scope this operation needs."),
    "forbidden": (403, gettext_lazy("无权执行此操作。"), "You may not do this."),
    "key_owner_inactive": (403, gettext_lazy("创建该密钥的管理员已不在本机构，请由现任管理员重新创建密钥。"),
                           "The admin who created this key has left the organization; create a new key."),
    "not_found": (404, gettext_lazy("未找到该资源。"), "Not found."),
    "duplicate_submission": (409, gettext_lazy("该请求已处理过（相同的 Idempotency-Key），未重复保存。"),
                             "This request was already processed (same Idempotency-Key); nothing saved twice."),
    "registration_refused": (409, gettext_lazy("无法报名。"), "Registration is not possible."),
    "invalid_request": (422, gettext_lazy("请求参数有误。"), "The request parameters are invalid."),
    "invalid_data": (422, gettext_lazy("提交的内容未通过校验。"), "The submitted data failed validation."),
    "rate_limited": (429, gettext_lazy("操作过于频繁，请稍后再试。"), "Too many requests; try again later."),
    "search_unavailable": (503, gettext_lazy("搜索服务暂时不可用，请稍后再试。"),
                           "Search is temporarily unavailable."),
}


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    message_en: str
    errors: list[FieldError] = []


class ApiError(Exception):
    def __init__(self, code: str, message: str | None = None, errors: list[dict] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.errors = errors or []


def error_response(code: str, message: str | None = None, errors: list[dict] | None = None,
                   status: int | None = None) -> HttpResponse:
    default_status, zh, en = CATALOG[code]
    body = {"code": code, "message": message or str(zh), "message_en": en, "errors": errors or []}
    response = JsonResponse(body, status=status or default_status, json_dumps_params={"ensure_ascii": False})
    if code == "rate_limited":
        response["Retry-After"] = "60"
    return response


def _django_errors(exc: DjangoValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [{"field": "" if name == "__all__" else name, "message": str(m)}
                for name, messages in exc.message_dict.items() for m in messages]
    return [{"field": "", "message": str(m)} for m in exc.messages]


def _loc(error: dict) -> str:
    # ("body", "payload", "title") → "title"; ("query", "page") → "page"
    parts = [str(p) for p in error.get("loc", ())]
    while parts and parts[0] in ("body", "query", "path", "header", "payload", "params"):
        parts.pop(0)
    return ".".join(parts)


def install(api: NinjaAPI) -> None:
    """Route every exception an operation can raise to a JSON answer with its stable code."""

    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(exc.code, exc.message, exc.errors)

    @api.exception_handler(NinjaValidationError)
    def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [{"field": _loc(e), "message": str(e.get("msg", ""))} for e in exc.errors]
        return error_response("invalid_request", errors=errors)

    @api.exception_handler(AuthenticationError)
    def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response("unauthorized")

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja's own: an unparsable JSON body (400), a wrong content type...
        code = {401: "unauthorized", 403: "forbidden", 404: "not_found", 429: "rate_limited"}.get(
            exc.status_code, "bad_request")
        return error_response(code, status=exc.status_code if exc.status_code < 500 else 400)

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response("not_found")

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response("forbidden", str(exc) or None)

    @api.exception_handler(DjangoValidationError)
    def _invalid_data(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if isinstance(exc, DuplicateSubmission):
            return error_response("duplicate_submission")
        if isinstance(exc, RegistrationRefused):
            # The message says why (full, closed, already registered…) in the user's language.
            return error_response("registration_refused", " ".join(exc.messages))
        return error_response("invalid_data", _("提交的内容未通过校验。"), _django_errors(exc))
