"""Security headers on every response: the Content-Security-Policy (django-csp) and Permissions-Policy.

The public site runs no inline script and no inline event handler (scripts live in static/js), so its
policy allows scripts from this origin only. The Wagtail and Django admins ship inline scripts and styles
of their own; they get the relaxed policy CONTENT_SECURITY_POLICY_ADMIN, and may frame themselves (Wagtail's
preview panel). Referrer-Policy, X-Content-Type-Options and Cross-Origin-Opener-Policy come from Django's
SecurityMiddleware, X-Frame-Options from XFrameOptionsMiddleware (settings say which values)."""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


def _is_admin(request: HttpRequest) -> bool:
    return request.path_info.startswith(tuple(settings.CSP_ADMIN_PREFIXES))


class SecurityHeadersMiddleware(CSPMiddleware):
    def get_policy_parts(self, request: HttpRequest, response: HttpResponseBase,
                         report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and _is_admin(request):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
        return parts

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if _is_admin(request):
            response.setdefault("X-Frame-Options", "SAMEORIGIN")  # before XFrameOptionsMiddleware's DENY
        return super().process_response(request, response)
