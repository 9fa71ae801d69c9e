from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import selectors, services
from .forms import OrganizationForm, RoleApplicationForm
from .models import RoleApplication
from .permissions import is_bureau
from .privacy import PRIVACY_NOTICE_VERSION
from .private_files import private_file_response


@login_required
def dashboard(request):
    return render(request, "accounts/dashboard.html", {"organizations": selectors.organizations_of(request.user)})


@login_required
def organization_create(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_organization(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("机构已登记，您是该机构的管理员。"))
            return redirect("accounts:dashboard")
    return render(request, "accounts/organization_form.html", {"form": form})


def privacy_notice(request):
    return render(request, "accounts/privacy.html", {"version": PRIVACY_NOTICE_VERSION})


@login_required
def role_applications(request):
    """The person's applications for organizer or agent, and the form to apply."""
    form = RoleApplicationForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_role_application(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("申请已提交，科技局审核后将通过邮件通知您。"))
            return redirect("accounts:role_applications")
    return render(request, "accounts/role_applications.html", {
        "form": form,
        "applications": selectors.role_applications_of(request.user),
        "organizations": selectors.organizations_of(request.user),
    })


@login_required
def role_application_attachment(request, pk: int):
    """The applicant and bureau staff only; always a download, never rendered by the browser."""
    application = get_object_or_404(RoleApplication, pk=pk)
    if not (application.user_id == request.user.pk or is_bureau(request.user)) or not application.attachment:
        raise Http404
    return private_file_response(application.attachment, download_name=f"role-application-{application.pk}")
