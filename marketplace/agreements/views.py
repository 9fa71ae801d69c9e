"""Agreement entry/import for bureau staff and organizers; the targets dashboard and exports for
bureau staff. Thin: writes in services, numbers in selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import charts, exports, selectors, services
from .forms import AgreementForm, ImportForm
from .permissions import can_enter_agreements, can_view_dashboard

MIN_YEAR, MAX_YEAR = 2000, 2100


def _require_entry(user) -> None:
    if not can_enter_agreements(user):
        raise PermissionDenied(_("只有科技局工作人员或活动组织方可以管理协议。"))


def _require_bureau(user) -> None:
    if not can_view_dashboard(user):
        raise PermissionDenied(_("目标看板仅对科技局工作人员开放。"))


class BadYear(ValueError):
    pass


def _year(request, default: int | None = None) -> int | None:
    raw = request.GET.get("year", "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not MIN_YEAR <= int(raw) <= MAX_YEAR:
        raise BadYear(raw)
    return int(raw)


def _bad_year() -> HttpResponseBadRequest:
    return HttpResponseBadRequest(
        _("年份参数无效，应为%(a)d至%(b)d之间的整数。(Invalid year.)") % {"a": MIN_YEAR, "b": MAX_YEAR}
    )


@login_required
def agreement_list(request):
    _require_entry(request.user)
    try:
        year = _year(request)
    except BadYear:
        return _bad_year()
    page = Paginator(selectors.agreements_for_list(year), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "agreements/agreement_list.html",
        {"page_obj": page, "year": year, "years": selectors.available_years()},
    )


@login_required
def agreement_detail(request, pk: int):
    _require_entry(request.user)
    agreement = selectors.agreements_with_parties().filter(pk=pk).first()
    if agreement is None:
        raise Http404
    return render(request, "agreements/agreement_detail.html", {"agreement": agreement})


@login_required
def agreement_new(request):
    _require_entry(request.user)
    # Organizers come here from their event's page: ?event=<id> preselects it.
    initial = {"event": request.GET["event"]} if request.GET.get("event", "").isdigit() else {}
    form = AgreementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.enter_agreement(
                user=request.user, terms=form.terms(), parties=form.parties()
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        except PermissionDenied as refused:
            form.add_error("event", str(refused))
        else:
            messages.success(request, _("协议已录入。"))
            return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request,
        "agreements/agreement_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def agreement_import(request):
    _require_entry(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.import_agreements(
                    user=request.user, filename=upload.name, content=upload.read()
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                status = 200
    return render(
        request,
        "agreements/agreement_import.html",
        {"form": form, "result": result, "columns": _import_columns()},
        status=status,
    )


def _import_columns():
    from .importing import COLUMNS

    return COLUMNS


# --- dashboard -------------------------------------------------------------------------------------


@login_required
def dashboard(request):
    _require_bureau(request.user)
    today = timezone.localdate()
    try:
        year = _year(request, default=today.year)
    except BadYear:
        return _bad_year()
    data = selectors.dashboard(year, today)
    return render(
        request,
        "agreements/dashboard.html",
        {
            "data": data,
            "year": year,
            "agreements_row": data.agreements,
            "county_chart": charts.bar_chart(data.counties),
            "type_chart": charts.bar_chart(data.types),
            "field_chart": charts.bar_chart(data.fields),
            "month_chart": charts.line_chart(data.months, data.agreements.target),
        },
    )


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _download(sections, filename: str, fmt: str) -> HttpResponse:
    body = exports.to_csv(sections) if fmt == "csv" else exports.to_xlsx(sections)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@login_required
def export_agreements(request, fmt: str):
    _require_bureau(request.user)
    try:
        year = _year(request)
    except BadYear:
        return _bad_year()
    name = f"agreements-{year}" if year else "agreements"
    return _download([selectors.agreement_register(year)], name, fmt)


@login_required
def export_monthly(request, fmt: str):
    _require_bureau(request.user)
    today = timezone.localdate()
    try:
        year = _year(request, default=today.year)
    except BadYear:
        return _bad_year()
    return _download(selectors.monthly_report(year, today), f"monthly-report-{year}", fmt)
