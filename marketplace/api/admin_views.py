"""Bureau staff see every organization's keys in the Wagtail admin and revoke any of them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import is_bureau

from . import selectors, services
from .models import ApiKey


def _require_bureau(request: HttpRequest) -> None:
    if not is_bureau(request.user):
        raise PermissionDenied


def all_keys(request: HttpRequest) -> HttpResponse:
    _require_bureau(request)
    active_only = request.GET.get("active") == "1"
    return render(request, "api/admin/keys.html", {
        "page_title": _("接口密钥"), "header_icon": "key",
        "keys": selectors.all_keys(active_only=active_only), "active_only": active_only,
    })


@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _require_bureau(request)
    key = get_object_or_404(ApiKey, pk=pk)
    services.revoke_key(user=request.user, key=key)
    messages.success(request, _("密钥已吊销，立即失效。"))
    return redirect("partner_api_admin_keys")
