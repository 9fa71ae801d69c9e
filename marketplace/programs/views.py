"""Front-end views. Thin: permissions in permissions.py, writes in services, reads in selectors.
Bad input comes back as a form error in Chinese, or a 4xx with the reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import is_bureau
from accounts.private_files import private_file_response
from marketplace.agreements import exports
from marketplace.core.forms import add_validation_errors

from . import evaluations, permissions, reports, selectors, services, stations
from .forms import (
    AssignmentForm,
    DecisionForm,
    EvaluationForm,
    ImportForm,
    RecordForm,
    ServiceLogForm,
)
from .sheets import SHEETS


def _assignment_or_404(user, pk: int):
    assignment = selectors.assignment_by_id(pk)
    if assignment is None or not permissions.can_see_assignment(user, assignment):
        raise Http404
    return assignment


def _record_or_404(user, pk: int):
    record = selectors.record_by_id(pk)
    if record is None or not permissions.can_see_record(user, record):
        raise Http404
    return record


@login_required
def overview(request):
    return render(request, "programs/overview.html", {
        "assignments": selectors.assignments_for(request.user),
        "records": selectors.records_for(request.user),
        "queue": selectors.awaiting_bureau() if is_bureau(request.user) else None,
    })


@login_required
def propose_assignment(request):
    if not permissions.can_propose_assignment(request.user):
        raise PermissionDenied(_("只有已认证机构的成员或科技局工作人员可以登记科技特派员。"))
    form = AssignmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.propose_assignment(user=request.user, data=form.assignment_data())
        except (ValidationError, PermissionDenied) as error:
            add_validation_errors(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
        else:
            messages.success(request, _("已登记，待服务企业和派出单位确认后由科技局审核。"))
            return redirect("programs:assignment", pk=assignment.pk)
    return render(request, "programs/form.html", {"form": form, "heading": _("登记企业科技特派员")})


def assignment_detail(request, pk: int):
    assignment = _assignment_or_404(request.user, pk)
    return render(request, "programs/assignment.html", {
        "assignment": assignment,
        "results": selectors.institution_results(assignment),
        "logs": selectors.logs_of(assignment) if permissions.can_see_logs(request.user, assignment) else None,
        "side": permissions.confirmable_side(request.user, assignment),
        "can_log": permissions.can_write_log(request.user, assignment),
        "decision_form": DecisionForm() if is_bureau(request.user) else None,
    })


@require_POST
@login_required
def confirm_assignment(request, pk: int):
    assignment = _assignment_or_404(request.user, pk)
    try:
        services.confirm_assignment(user=request.user, assignment=assignment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已确认。"))
    return redirect("programs:assignment", pk=pk)


@require_POST
@login_required
def decide_assignment(request, pk: int):
    if not is_bureau(request.user):
        raise PermissionDenied(_("只有科技局工作人员可以审核科技特派员。"))
    assignment = _assignment_or_404(request.user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_assignment(user=request.user, assignment=assignment, approve=form.approve,
                                       note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("审核完成。"))
    else:
        messages.error(request, _("请选择审核结果。"))
    return redirect("programs:assignment", pk=pk)


@login_required
def write_log(request, pk: int):
    assignment = _assignment_or_404(request.user, pk)
    if not permissions.can_write_log(request.user, assignment):
        raise PermissionDenied(_("只有已认定的特派员本人可以填写服务月志。"))
    form = ServiceLogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.write_log(user=request.user, assignment=assignment, data=form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("服务月志已保存。"))
            return redirect("programs:assignment", pk=pk)
    return render(request, "programs/form.html", {"form": form, "heading": _("填写服务月志")})


@login_required
def enter_record(request):
    if not permissions.can_propose_record(request.user):
        raise PermissionDenied(_("只有已认证机构的成员或科技局工作人员可以申报。"))
    form = RecordForm(request.POST or None, user=request.user, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        try:
            record = services.enter_record(user=request.user, data=form.record_data())
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("已保存。") if is_bureau(request.user) else _("已提交科技局审核。"))
            return redirect("programs:record", pk=record.pk)
    return render(request, "programs/form.html", {"form": form, "heading": _("储备项目与重大关键技术成果")})


def record_detail(request, pk: int):
    record = _record_or_404(request.user, pk)
    return render(request, "programs/record.html", {
        "record": record, "decision_form": DecisionForm() if is_bureau(request.user) else None,
    })


@require_POST
@login_required
def decide_record(request, pk: int):
    if not is_bureau(request.user):
        raise PermissionDenied(_("只有科技局工作人员可以审核。"))
    record = _record_or_404(request.user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_record(user=request.user, record=record, approve=form.approve,
                                   note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("审核完成。"))
    else:
        messages.error(request, _("请选择审核结果。"))
    return redirect("programs:record", pk=pk)


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _year(request) -> int | None:
    """The year asked for (default: this year); None when it is not a sensible year."""
    raw = request.GET.get("year", "").strip()
    if not raw:
        return timezone.localdate().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None


def _bad_year() -> HttpResponseBadRequest:
    return HttpResponseBadRequest(_("年份参数无效，应为2000至2100之间的整数。"))


@login_required
def report(request):
    if not is_bureau(request.user):
        raise PermissionDenied(_("只有科技局工作人员可以查看。"))
    year = _year(request)
    if year is None:
        return _bad_year()
    data = reports.program_report(year, timezone.localdate())
    return render(request, "programs/report.html", {"report": data, "year": year,
                                                    "sections": [data.months, data.counties]})


@login_required
def export_report(request, fmt: str):
    if not is_bureau(request.user):
        raise PermissionDenied(_("只有科技局工作人员可以导出。"))
    year = _year(request)
    if year is None:
        return _bad_year()
    body = exports.to_csv(reports.sections(year, timezone.localdate())) if fmt == "csv" else exports.to_xlsx(
        reports.sections(year, timezone.localdate()))
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="programs-{year}.{fmt}"'
    return response


@login_required
def import_records(request):
    if not is_bureau(request.user):
        raise PermissionDenied(_("只有科技局工作人员可以批量导入。"))
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created, errors = services.import_sheet(user=request.user, kind=form.cleaned_data["kind"],
                                                    filename=upload.name, content=upload.read())
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            if not errors:
                messages.success(request, _("已导入%(n)d条记录。") % {"n": created})
                return redirect("programs:overview")
    return render(request, "programs/import.html", {"form": form, "row_errors": errors, "sheets": SHEETS.values()},
                  status=400 if errors else 200)


@login_required
def my_county(request):
    """A station's staff land on their own county's view."""
    if is_bureau(request.user):
        return redirect("dashboard:index")  # the bureau sees every county there
    county = stations.station_county(request.user)
    if county is None:
        raise PermissionDenied(_("只有县级技术转移工作站的工作人员可以查看本县情况。"))
    return redirect("programs:county", slug=county.slug)


@login_required
def county_view(request, slug: str):
    county = stations.county_by_slug(slug)
    if county is None:
        raise Http404
    if not permissions.can_see_county(request.user, county):
        raise PermissionDenied(_("只能查看本工作站所在县(市、区)的情况。"))
    year = _year(request)
    if year is None:
        return _bad_year()
    return render(request, "programs/county.html", {"view": stations.county_view(county, year), "year": year})


@login_required
def evaluation_list(request):
    if not permissions.can_enter_evaluation(request.user):
        raise PermissionDenied(_("只有科技局工作人员可以登记成果评价。"))
    form = EvaluationForm(request.POST or None, request.FILES or None,
                          initial={"achievement": request.GET.get("achievement")})
    if request.method == "POST" and form.is_valid():
        try:
            services.enter_evaluation(user=request.user, data=form.evaluation_data())
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("成果评价已登记。"))
            return redirect("programs:evaluations")
    return render(request, "programs/evaluations.html", {"form": form,
                                                         "evaluations": evaluations.recent_evaluations()})


@login_required
def evaluation_report(request, pk: int):
    if not permissions.can_download_evaluation_report(request.user):
        raise PermissionDenied(_("评价报告仅供科技局查阅。"))
    evaluation = evaluations.evaluation_by_id(pk)
    if evaluation is None or not evaluation.report:
        raise Http404
    return private_file_response(evaluation.report, download_name=f"evaluation-{evaluation.pk}")
