"""The alert inbox, the frequency setting and the one-click unsubscribe. Thin: rules in services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.models import User

from . import selectors, services
from .forms import FrequencyForm


@login_required
def inbox(request):
    page = Paginator(selectors.alerts_for(request.user), 20).get_page(request.GET.get("page"))
    page.object_list = selectors.with_pages(page.object_list)
    return render(request, "alerts/inbox.html", {
        "alerts": page, "unread": selectors.unread_count(request.user),
        "frequency": selectors.frequency_of(request.user)})


@login_required
@require_POST
def mark_read(request, pk: int):
    if not services.mark_read(request.user, pk):
        raise Http404  # someone else's alert is not revealed
    return redirect("alerts:inbox")


@login_required
@require_POST
def mark_all_read(request):
    services.mark_all_read(request.user)
    return redirect("alerts:inbox")


@login_required
def alert_settings(request):
    form = FrequencyForm(request.POST or None, initial={"frequency": selectors.frequency_of(request.user)})
    if request.method == "POST" and form.is_valid():
        services.set_frequency(request.user, form.cleaned_data["frequency"])
        messages.success(request, _("提醒设置已保存。"))
        return redirect("alerts:settings")
    return render(request, "alerts/settings.html", {"form": form})


@csrf_exempt  # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" without a session or token
def unsubscribe(request, token: str):
    """GET shows the one button (link scanners fetch links; a GET must not unsubscribe); POST turns
    e-mail alerts off — from that button or from the mail client's one-click header."""
    try:
        user = services.unsubscribe(token) if request.method == "POST" else services.user_for_token(token)
    except (signing.BadSignature, User.DoesNotExist):
        return render(request, "alerts/unsubscribe_invalid.html", status=400)
    return render(request, "alerts/unsubscribe.html", {
        "done": request.method == "POST", "email": user.email, "token": token})
