from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import selectors, services
from .forms import OrganizationForm


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
