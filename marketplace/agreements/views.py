"""Agreement entry/import for bureau staff and organizers; each agreement's page with its verification
actions (confirm, evidence, state moves, duplicates); the targets dashboard and exports for bureau staff.
Thin: writes in services/verification, reads and visibility in selectors, rules in permissions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.private_files import private_file_response
from marketplace.core.forms import add_validation_errors

from . import charts, exports, import_jobs, reports, selectors, services, states, verification
from . import dashboard as targets
from .forms import AgreementForm, ConfirmForm, DuplicateForm, ImportForm, ScanForm, TransitionForm
from .models import PartySide
from .permissions import (
    actor_roles,
    can_edit_terms,
    can_enter_agreements,
    can_handle_evidence,
    can_upload_evidence,
    can_view_dashboard,
    party_sides_of,
)

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
        _("年份参数无效，应为%(a)d至%(b)d之间的整数。") % {"a": MIN_YEAR, "b": MAX_YEAR}
    )


@login_required
def agreement_list(request):
    """Everyone signed in sees the agreements they may see (selectors.visible_agreements)."""
    try:
        year = _year(request)
    except BadYear:
        return _bad_year()
    qs = selectors.visible_agreements(request.user)
    if year:
        qs = qs.filter(signed_on__year=year)
    page = Paginator(selectors.agreements_with_parties(qs), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "agreements/agreement_list.html",
        {"page_obj": page, "year": year, "years": selectors.available_years(),
         "can_enter": can_enter_agreements(request.user)},
    )


def _visible_or_404(request, pk: int):
    agreement = selectors.agreement_for(request.user, pk)
    if agreement is None:
        raise Http404
    return agreement


def _detail_context(request, agreement, **extra) -> dict:
    user = request.user
    roles = actor_roles(user, agreement)
    return {
        "agreement": agreement,
        "roles": roles,
        "is_bureau": states.BUREAU in roles,
        "can_edit": can_edit_terms(user, agreement),
        "can_upload": can_upload_evidence(user, agreement),
        "can_download": can_handle_evidence(user, agreement),
        "my_sides": party_sides_of(user, agreement),
        "confirmed_sides": {c.side: c for c in agreement.confirmations.all()},
        "confirm_sides": [(side, str(PartySide(side).label)) for side in verification.CONFIRMING_SIDES],
        "moves": [(move.target, states.MACHINE.label(move.target), move) for move in states.moves_from(agreement.status)
                  if roles & move.actors and move.target != states.Status.SUBMITTED],
        "trail": selectors.audit_trail(agreement) if states.BUREAU in roles else None,
        "errors": [],
        **extra,
    }


@login_required
def agreement_detail(request, pk: int):
    agreement = _visible_or_404(request, pk)
    return render(request, "agreements/agreement_detail.html", _detail_context(request, agreement))


def _refused(request, agreement, error) -> HttpResponse:
    """A refused action: the agreement page again, with the reason, as a 400."""
    messages_ = error.messages if isinstance(error, ValidationError) else [str(error)]
    agreement = selectors.agreement_for(request.user, agreement.pk)
    context = _detail_context(request, agreement, errors=messages_)
    return render(request, "agreements/agreement_detail.html", context, status=400)


def _act(request, pk: int, action) -> HttpResponse:
    """Run one POSTed action on a visible agreement: PermissionDenied stays a 403, bad input a 400."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    agreement = _visible_or_404(request, pk)
    try:
        done = action(agreement)
    except ValidationError as error:
        return _refused(request, agreement, error)
    messages.success(request, done)
    return redirect("agreements:detail", pk=agreement.pk)


@login_required
def agreement_transition(request, pk: int):
    def action(agreement):
        form = TransitionForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("请选择要转入的状态。"))
        verification.apply_transition(agreement_id=agreement.pk, to_status=form.cleaned_data["to_status"],
                                      user=request.user, reason=form.cleaned_data["reason"])
        return _("协议状态已更新为“%(s)s”。") % {"s": states.MACHINE.label(form.cleaned_data["to_status"])}

    return _act(request, pk, action)


@login_required
def agreement_confirm(request, pk: int):
    def action(agreement):
        form = ConfirmForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("请选择确认方。"))
        verification.confirm(agreement_id=agreement.pk, user=request.user, side=form.cleaned_data["side"],
                             on_behalf=form.cleaned_data["on_behalf"], note=form.cleaned_data["note"])
        return _("已确认。")

    return _act(request, pk, action)


@login_required
def agreement_scan_upload(request, pk: int):
    def action(agreement):
        form = ScanForm(request.POST, request.FILES)
        if not form.is_valid():
            raise ValidationError(_("请选择合同扫描件（PDF）。"))
        verification.attach_scan(agreement_id=agreement.pk, user=request.user, upload=form.cleaned_data["scan"])
        return _("合同扫描件已上传。")

    return _act(request, pk, action)


@login_required
def agreement_duplicate(request, pk: int):
    def action(agreement):
        form = DuplicateForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("请选择处理方式。"))
        verification.resolve_duplicate(agreement_id=agreement.pk, user=request.user,
                                       keep=form.cleaned_data["decision"] == "keep", note=form.cleaned_data["note"])
        return _("疑似重复已处理。")

    return _act(request, pk, action)


@login_required
def agreement_scan_download(request, pk: int):
    """The contract scan, to the parties and the bureau only; never rendered inline by the browser."""
    agreement = _visible_or_404(request, pk)
    if not can_handle_evidence(request.user, agreement):
        raise PermissionDenied(_("合同扫描件仅对签约双方和科技局开放。"))
    if not agreement.contract_scan:
        raise Http404
    return private_file_response(agreement.contract_scan, download_name=f"agreement-{agreement.pk}")


def _save_form(request, form, save) -> HttpResponse | None:
    """Validate and save through `save(form)`; field errors go back on the form. A form posted again
    (Back and resubmit, a double click) leads to the agreement it already created."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        agreement = save(form)
    except ValidationError as error:
        earlier = selectors.agreement_by_form_token(request.user, form.cleaned_data.get("form_token") or "")
        if earlier is not None:
            messages.info(request, _("该表单已提交过，已为您打开先前保存的协议。"))
            return redirect("agreements:detail", pk=earlier.pk)
        add_validation_errors(form, error)
    except PermissionDenied as refused:
        form.add_error("event", str(refused))
    else:
        messages.success(request, _("协议已保存。"))
        return redirect("agreements:detail", pk=agreement.pk)
    return None


@login_required
def agreement_new(request):
    _require_entry(request.user)
    # Organizers come here from their event's page: ?event=<id> preselects it.
    initial = {"event": request.GET["event"]} if request.GET.get("event", "").isdigit() else {}
    form = AgreementForm(request.POST or None, initial=initial)
    done = _save_form(request, form, lambda f: services.enter_agreement(
        user=request.user, terms=f.terms(), parties=f.parties(), submission_token=f.cleaned_data["form_token"]))
    if done is not None:
        return done
    return render(request, "agreements/agreement_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def agreement_edit(request, pk: int):
    agreement = _visible_or_404(request, pk)
    if not can_edit_terms(request.user, agreement):
        raise PermissionDenied(_("该协议当前不能修改。"))
    form = AgreementForm(request.POST or None, instance=agreement)
    done = _save_form(request, form, lambda f: verification.update_terms(
        agreement_id=agreement.pk, user=request.user, terms=f.terms(), parties=f.parties()))
    if done is not None:
        return done
    return render(request, "agreements/agreement_form.html", {"form": form, "agreement": agreement},
                  status=400 if request.method == "POST" else 200)


@login_required
def agreement_import(request):
    _require_entry(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = import_jobs.request_import(user=request.user, filename=upload.name, content=upload.read())
            except ValidationError as error:
                form.add_error("file", error)
            else:
                return redirect("agreements:import_job", pk=job.pk)
    return render(
        request,
        "agreements/agreement_import.html",
        {"form": form, "columns": _import_columns()},
        status=status,
    )


@login_required
def agreement_import_job(request, pk: int):
    """The import's report: progress while the worker runs (the page refreshes itself), then per-line errors."""
    job = selectors.import_job_for(request.user, pk)
    if job is None:
        raise Http404
    return render(request, "agreements/agreement_import_job.html", {"job": job, "result": job.result or {}})


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
    data = targets.dashboard(year, today)
    return render(
        request,
        "agreements/dashboard.html",
        {
            "data": data,
            "year": year,
            "agreements_row": data.agreements,
            "status_rows": [(code, label, data.statuses[code]) for code, label in reports.STATUS_LABELS.items()],
            "county_chart": charts.bar_chart(data.counties),
            "type_chart": charts.bar_chart(data.types),
            "field_chart": charts.bar_chart(data.fields),
            "month_chart": charts.line_chart(data.months, data.agreements.target),
            "activity_columns": [label for _key, label in targets.activity_columns()],
            "extra_sections": reports.extra_sections(year),
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
    return _download([reports.agreement_register(year), reports.audit_section(year)], name, fmt)


@login_required
def export_monthly(request, fmt: str):
    _require_bureau(request.user)
    today = timezone.localdate()
    try:
        year = _year(request, default=today.year)
    except BadYear:
        return _bad_year()
    return _download(reports.monthly_report(year, today), f"monthly-report-{year}", fmt)
