"""Listing imports as background jobs (the bureau's upload page; `manage.py import_listings` stays for the
shell): the JSON Lines file is kept in private storage, the worker imports it line by line with progress on
a Job, and the report page lists each failed line with its key and reason (importing.import_listings)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import is_bureau
from accounts.private_files import PrivateStorage
from jobs.models import Job
from jobs.services import create_job, enqueue, finish_job, report_progress

IMPORT_JOB_KIND = "listings.import"
MAX_BYTES = 20 * 1024 * 1024


def request_import(*, user: User, content: bytes, publish: bool) -> Job:
    from .tasks import import_listings_task

    if not is_bureau(user):
        raise PermissionDenied(_("只有科技局工作人员可以批量导入成果和需求。"))
    if not content.strip():
        raise ValidationError(_("文件是空的。"))
    if len(content) > MAX_BYTES:
        raise ValidationError(_("文件超过20MB，请分批导入。"))
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(_("文件须为UTF-8编码的JSON Lines（每行一个JSON对象）。")) from None
    stored = PrivateStorage().save("imports/listings/upload", ContentFile(content))
    job = create_job(kind=IMPORT_JOB_KIND, subject=f"user:{user.pk}", user=user)
    enqueue(import_listings_task, job.pk, user.pk, stored, publish)
    return job


def run_import(*, job_id: int, user_id: int, stored: str, publish: bool) -> None:
    from .importing import import_listings

    storage = PrivateStorage()
    with storage.open(stored, "rb") as handle:
        lines = handle.read().splitlines()
    total = len(lines)
    step = max(1, total // 50)
    report_progress(job_id, 1, _("正在导入"))

    def progress(done: int) -> None:
        if done % step == 0 or done == total:
            report_progress(job_id, 1 + 98 * done // max(total, 1), _("正在导入第%(n)d行，共%(t)d行") % {
                "n": done, "t": total})

    result = import_listings(lines, publish=publish, user=User.objects.get(pk=user_id), progress=progress)
    finish_job(job_id, message=_("新建 %(c)d 条，更新 %(u)d 条，%(f)d 行失败。") % {
        "c": len(result.created), "u": len(result.updated), "f": len(result.failed_lines)}, result={
        "created": len(result.created), "updated": len(result.updated), "failed_lines": len(result.failed_lines),
        "published": publish,
        "errors": [{"line": e.line, "key": e.key, "message": str(e.message)} for e in result.errors]})
    storage.delete(stored)
