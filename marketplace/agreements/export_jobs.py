"""The register's Excel export as a background job: the worker builds the workbook (every agreement of the
year plus the audit trail, which can run to tens of thousands of rows), keeps it in private storage, and
the bureau member who asked downloads it from the job's page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.private_files import PrivateStorage
from jobs.models import Job
from jobs.services import create_job, enqueue, finish_job, report_progress

from .permissions import can_view_dashboard

EXPORT_JOB_KIND = "agreements.export"


def export_filename(year: int | None) -> str:
    return f"agreements-{year}.xlsx" if year else "agreements.xlsx"


def request_export(*, user: User, year: int | None) -> Job:
    from .tasks import export_register_task

    if not can_view_dashboard(user):
        raise PermissionDenied(_("目标看板仅对科技局工作人员开放。"))
    job = create_job(kind=EXPORT_JOB_KIND, subject=f"user:{user.pk}", user=user)
    enqueue(export_register_task, job.pk, year)
    return job


def run_export(*, job_id: int, year: int | None) -> None:
    from . import exports, reports

    report_progress(job_id, 10, _("正在汇总协议"))
    sections = [reports.agreement_register(year), reports.audit_section(year)]
    report_progress(job_id, 60, _("正在生成Excel文件"))
    stored = PrivateStorage().save("exports/agreements/register", ContentFile(exports.to_xlsx(sections)))
    finish_job(job_id, message=_("协议登记表已生成。"), result={"stored": stored, "filename": export_filename(year)})


def export_job_for(user, pk: int) -> Job | None:
    """A register export, for the person who asked for it only."""
    if not user.is_authenticated:
        return None
    return Job.objects.filter(pk=pk, kind=EXPORT_JOB_KIND, created_by=user).first()
