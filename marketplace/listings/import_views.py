"""The bureau's listing import: upload a JSON Lines file, then follow the job's report page."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_bureau
from jobs.selectors import job_started_by

from . import import_jobs


class ListingImportForm(forms.Form):
    file = forms.FileField(label=_("JSON Lines 文件"), help_text=_("每行一个JSON对象，格式见导入说明。"))
    publish = forms.BooleanField(label=_("直接发布（不经逐条审核）"), required=False)


@login_required
def listing_import(request):
    if not is_bureau(request.user):
        raise PermissionDenied
    form = ListingImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_jobs.request_import(user=request.user, content=form.cleaned_data["file"].read(),
                                             publish=form.cleaned_data["publish"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("listings:import_job", pk=job.pk)
    return render(request, "listings/listing_import.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def listing_import_job(request, pk: int):
    job = job_started_by(request.user, pk=pk, kind=import_jobs.IMPORT_JOB_KIND)
    if job is None:
        raise Http404
    return render(request, "listings/listing_import_job.html", {"job": job, "result": job.result or {}})
