"""The dashboard's Excel register export as a job: start it, watch it, download the file."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.private_files import PrivateStorage

from . import export_jobs
from .views import MAX_YEAR, MIN_YEAR

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_POST
def start_register_export(request):
    raw = request.POST.get("year", "").strip()
    if raw and not (raw.isdigit() and MIN_YEAR <= int(raw) <= MAX_YEAR):
        return HttpResponseBadRequest(_("年份参数无效，应为%(a)d至%(b)d之间的整数。") % {"a": MIN_YEAR, "b": MAX_YEAR})
    job = export_jobs.request_export(user=request.user, year=int(raw) if raw else None)
    return redirect("dashboard:export_job", pk=job.pk)


@login_required
def register_export_job(request, pk: int):
    job = export_jobs.export_job_for(request.user, pk)
    if job is None:
        raise Http404
    return render(request, "agreements/export_job.html", {"job": job})


@login_required
def register_export_download(request, pk: int):
    job = export_jobs.export_job_for(request.user, pk)
    if job is None or job.status != job.Status.DONE or not (job.result or {}).get("stored"):
        raise Http404
    storage = PrivateStorage()
    if not storage.exists(job.result["stored"]):
        raise Http404
    return FileResponse(storage.open(job.result["stored"], "rb"), as_attachment=True,
                        filename=job.result["filename"], content_type=XLSX)
