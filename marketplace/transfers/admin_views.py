"""Bureau staff in the Wagtail admin: the queue of listing requests and objections, and the dashboard
with its CSV export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import is_bureau
from marketplace.agreements.exports import to_csv
from marketplace.agreements.reports import Section

from . import closing, selectors, services
from .forms import RejectForm, ResolveForm
from .models import Objection, TransferListing


def _require_bureau(request) -> None:
    if not is_bureau(request.user):
        raise PermissionDenied


def queue(request):
    _require_bureau(request)
    return render(request, "transfers/admin/queue.html", {
        "page_title": _("挂牌交易审核"), "pending": selectors.pending_listings(),
        "objections": selectors.open_objections(), "reject_form": RejectForm(), "resolve_form": ResolveForm()})


def _act(request, action) -> HttpResponse:
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已处理。"))
    return redirect("transfers_admin_queue")


@require_POST
def approve(request, pk: int):
    _require_bureau(request)
    listing = get_object_or_404(TransferListing, pk=pk)
    return _act(request, lambda: services.approve(user=request.user, listing=listing))


@require_POST
def reject(request, pk: int):
    _require_bureau(request)
    listing = get_object_or_404(TransferListing, pk=pk)
    form = RejectForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(request, lambda: services.reject(user=request.user, listing=listing, reason=reason))


@require_POST
def resolve(request, pk: int):
    _require_bureau(request)
    objection = get_object_or_404(Objection, pk=pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择处理结果并填写处理意见。"))
        return redirect("transfers_admin_queue")
    return _act(request, lambda: closing.resolve_objection(
        user=request.user, objection=objection, upheld=form.cleaned_data["decision"] == "uphold",
        resolution=form.cleaned_data["resolution"]))


def _sections() -> list[Section]:
    return [
        Section(_("挂牌交易"), selectors.DASHBOARD_HEADER, selectors.dashboard_rows()),
        Section(_("按县(市、区)统计的成交"), [_("县(市、区)"), _("成交数"), _("成交额（元）")],
                [list(r) for r in selectors.totals_by("county")]),
        Section(_("按产业领域统计的成交"), [_("产业领域"), _("成交数"), _("成交额（元）")],
                [list(r) for r in selectors.totals_by("field")]),
    ]


def dashboard(request):
    _require_bureau(request)
    return render(request, "transfers/admin/dashboard.html", {"page_title": _("挂牌交易统计"),
                                                              "sections": _sections()})


def export_csv(request):
    _require_bureau(request)
    response = HttpResponse(to_csv(_sections()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="transfers.csv"'
    return response
