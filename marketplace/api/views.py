"""The organization admins' key pages under /accounts/api-keys/. Thin: the form validates, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organization
from accounts.selectors import administered_organizations
from marketplace.core.forms import add_validation_errors

from . import selectors, services
from .forms import ApiKeyForm
from .models import ApiKey

NEW_KEY_SESSION = "partner_api_new_key"


def _admin_organizations(user) -> list[Organization]:
    return administered_organizations(user)


@login_required
def key_list(request: HttpRequest) -> HttpResponse:
    """Keys of the organizations this person administers. A new key's secret travels to the next page view
    through the session and is removed from it there: shown once, and a reload does not make a second key."""
    organizations = _admin_organizations(request.user)
    if not organizations and request.method == "POST":
        raise PermissionDenied(_("只有机构管理员可以管理接口密钥。"))
    form = ApiKeyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            key, whole = services.create_key(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            request.session[NEW_KEY_SESSION] = {"id": key.pk, "secret": whole}
            messages.success(request, _("密钥已创建。"))
            return redirect("partner_api_keys:list")
    created = request.session.pop(NEW_KEY_SESSION, None) if request.method == "GET" else None
    response = render(request, "api/keys.html", {
        "form": form, "created": created,
        "organizations": [(org, selectors.keys_of(org)) for org in organizations],
    })
    response["Cache-Control"] = "no-store"  # the page may carry a new secret
    return response


@login_required
@require_POST
def key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(ApiKey, pk=pk)
    if not services.can_manage_keys(request.user, key.organization):
        raise PermissionDenied(_("只有该机构的管理员可以吊销它的接口密钥。"))
    services.revoke_key(user=request.user, key=key)
    messages.success(request, _("密钥已吊销，立即失效。"))
    return redirect("partner_api_keys:list")
