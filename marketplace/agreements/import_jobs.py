"""Agreement imports as background jobs: the upload is checked for readability, kept in private storage and
imported by the worker, which reports progress on a Job; the report page then lists the per-line errors.
The import itself is importing.import_agreements (each row whole or not at all)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.private_files import PrivateStorage
from jobs.models import Job
from jobs.services import create_job, enqueue, fail_job, finish_job, report_progress

from .permissions import can_enter_agreements
from .selectors import IMPORT_JOB_KIND


def request_import(*, user: User, filename: str, content: bytes) -> Job:
    """Check the file can be read (an unreadable one is refused on the form at once), store it and queue
    the import. The caller's transaction decides: the task is sent only once the job row is committed."""
    from . import importing
    from .tasks import import_agreements_task

    if not can_enter_agreements(user):
        raise PermissionDenied(_("只有科技局工作人员或活动组织方可以导入协议。"))
    importing.read_table(filename, content)  # ValidationError for an unreadable or oversized file
    stored = PrivateStorage().save("imports/agreements/upload", ContentFile(content))
    job = create_job(kind=IMPORT_JOB_KIND, subject=f"user:{user.pk}", user=user)
    enqueue(import_agreements_task, job.pk, user.pk, stored, filename)
    return job


def run_import(*, job_id: int, user_id: int, stored: str, filename: str) -> None:
    """The worker's part. A file refused whole (e.g. missing columns) fails the job with the reason."""
    from .importing import import_agreements

    storage = PrivateStorage()
    report_progress(job_id, 5, _("正在读取文件"))
    with storage.open(stored, "rb") as handle:
        content = handle.read()
    user = User.objects.get(pk=user_id)

    def progress(done: int, total: int) -> None:
        report_progress(job_id, 5 + 90 * done // max(total, 1), _("正在导入第%(n)d行，共%(t)d行") % {
            "n": done, "t": total})

    try:
        result = import_agreements(user=user, filename=filename, content=content, progress=progress)
    except (ValidationError, PermissionDenied) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        fail_job(job_id, message="；".join(messages))
        storage.delete(stored)
        return
    finish_job(job_id, message=_("已导入 %(c)d 行，%(f)d 行有错误未导入。") % {
        "c": len(result.created), "f": len(result.failed_rows)}, result={
        "rows_read": result.rows_read, "created": len(result.created), "failed_rows": len(result.failed_rows),
        "errors": [{"row": e.row, "field": str(e.field), "message": str(e.message)} for e in result.errors]})
    storage.delete(stored)
