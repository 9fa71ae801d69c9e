"""The bureau's one review queue in the Wagtail admin: role applications and organizations waiting
for verification, side by side, filterable. Decisions go through accounts.services."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import DeclineForm
from .models import APPLICABLE_ROLES, Organization, OrganizationKind, PlatformRole, RoleApplication
from .permissions import is_bureau
from .states import RoleApplicationStatus


class QueueFilterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类别"), required=False, choices=[
        ("", gettext_lazy("全部")), ("role", gettext_lazy("角色申请")), ("organization", gettext_lazy("机构认证"))])
    role = forms.ChoiceField(label=gettext_lazy("申请角色"), required=False, choices=[
        ("", gettext_lazy("全部")), *[c for c in PlatformRole.choices if c[0] in APPLICABLE_ROLES]])
    status = forms.ChoiceField(label=gettext_lazy("申请状态"), required=False,
                               choices=[("", gettext_lazy("全部")), *RoleApplicationStatus.choices])
    organization_kind = forms.ChoiceField(label=gettext_lazy("机构类型"), required=False,
                                          choices=[("", gettext_lazy("全部")), *OrganizationKind.choices])
    q = forms.CharField(label=gettext_lazy("搜索"), required=False)


def _require_bureau(request) -> None:
    if not is_bureau(request.user):
        raise PermissionDenied


def review_queue(request):
    _require_bureau(request)
    data = request.GET.copy()
    data.setdefault("status", RoleApplicationStatus.PENDING)
    filters = QueueFilterForm(data)
    filters.is_valid()
    chosen = filters.cleaned_data if filters.is_valid() else {}
    kind = chosen.get("kind", "")
    applications = selectors.role_applications_for_review(
        status=chosen.get("status", RoleApplicationStatus.PENDING), role=chosen.get("role", ""),
        query=chosen.get("q", "")) if kind in ("", "role") else RoleApplication.objects.none()
    organizations = selectors.organizations_for_review(
        query=chosen.get("q", ""), kind=chosen.get("organization_kind", "")
    ) if kind in ("", "organization") else Organization.objects.none()
    return render(request, "accounts/admin/review_queue.html", {
        "page_title": _("审核队列"),
        "header_icon": "tasks",
        "filters": filters,
        "applications": applications,
        "organizations": organizations,
        "counts": selectors.review_queue_counts(),
        "decline_form": DeclineForm(),
    })


@require_POST
def approve_role_application(request, pk: int):
    _require_bureau(request)
    get_object_or_404(RoleApplication, pk=pk)
    try:
        application = services.approve_role_application(pk, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已批准 %(user)s 的“%(role)s”申请。") % {
            "user": application.user, "role": application.get_role_display()})
    return redirect("accounts_review_queue")


@require_POST
def decline_role_application(request, pk: int):
    _require_bureau(request)
    get_object_or_404(RoleApplication, pk=pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写未通过的原因。"))
        return redirect("accounts_review_queue")
    try:
        application = services.decline_role_application(pk, by=request.user,
                                                         reason=form.cleaned_data["decline_reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已退回 %(user)s 的“%(role)s”申请。") % {
            "user": application.user, "role": application.get_role_display()})
    return redirect("accounts_review_queue")


@require_POST
def verify_organization(request, pk: int):
    _require_bureau(request)
    organization = get_object_or_404(Organization, pk=pk)
    services.verify_organization(organization.pk, by=request.user)
    messages.success(request, _("已认证机构：%(name)s。") % {"name": organization.name})
    return redirect("accounts_review_queue")
