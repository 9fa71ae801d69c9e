"""Reserve projects and major key-technology results: entered by the bureau (approved at once) or proposed
by an organization's verified member and approved by the bureau."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_bureau, verified_organization_ids_for

from ..models import ProjectRecord
from ..states import RECORD_MACHINE, RecordStatus
from .imports import import_sheet


@transaction.atomic
def enter_record(*, user, data: dict) -> ProjectRecord:
    record = ProjectRecord(**data, proposed_by=user)
    if is_bureau(user):
        record.status, record.decided_by, record.approved_on = RecordStatus.APPROVED, user, timezone.localdate()
    elif record.owner_id in verified_organization_ids_for(user):
        record.status = RecordStatus.PROPOSED
        record.source_deal = None  # deals are private to their parties; only the bureau links one
    else:
        raise PermissionDenied(_("只能以本人所在的已认证机构名义申报。"))
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def decide_record(*, user, record: ProjectRecord, approve: bool, note: str = "",
                  on: date | None = None) -> ProjectRecord:
    if not is_bureau(user):
        raise PermissionDenied(_("只有科技局工作人员可以审核。"))
    record = ProjectRecord.objects.select_for_update().get(pk=record.pk)
    target = RecordStatus.APPROVED if approve else RecordStatus.REJECTED
    RECORD_MACHINE.check(record.status, target)
    if not approve and not note.strip():
        raise ValidationError({"note": _("不予认定时请填写理由。")})
    record.status, record.decided_by, record.decision_note = target, user, note
    record.approved_on = (on or timezone.localdate()) if approve else None
    record.save()
    return record


def import_records(*, user, filename: str, content: bytes) -> tuple[int, list]:
    """Reserve projects and key results from a sheet: see services.imports (all rows or none)."""
    return import_sheet(user=user, kind="records", filename=filename, content=content)
