"""A person's own data: download it as JSON, or delete the account."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors, services
from .forms import EraseAccountForm


@login_required
def export_personal_data(request):
    data = selectors.personal_data(request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder),
                            content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="personal-data-{stamp}.json"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def erase_account(request):
    form = EraseAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.erase_account(request.user)
        logout(request)
        messages.success(request, _("您的账户已注销，个人信息已删除。"))
        return redirect("/")
    return render(request, "accounts/erase_account.html", {"form": form})
