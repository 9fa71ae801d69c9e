"""Reserve projects and major key-technology results: entered by the bureau (approved at once) or proposed
by an organization's verified member and approved by the bureau."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_bureau, verified_organization_ids_for
from marketplace.agreements.importing import read_table
from marketplace.agreements.services import RowError

from ..importing import parse_rows
from ..models import ProjectRecord
from ..states import RecordStatus, can_transition_record


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
    if not can_transition_record(record.status, target):
        raise ValidationError(_("当前状态（%(state)s）不能执行此操作。") % {"state": record.get_status_display()})
    if not approve and not note.strip():
        raise ValidationError({"note": _("不予认定时请填写理由。")})
    record.status, record.decided_by, record.decision_note = target, user, note
    record.approved_on = (on or timezone.localdate()) if approve else None
    record.save()
    return record


def import_records(*, user, filename: str, content: bytes) -> tuple[int, list]:
    """All rows or none: returns (records created, row errors). Imported records are the bureau's own
    entries, approved on the date the sheet gives, so last year's figures land in last year."""
    if not is_bureau(user):
        raise PermissionDenied(_("只有科技局工作人员可以批量导入。"))
    parsed, errors = parse_rows(read_table(filename, content))
    if errors:
        return 0, errors
    with transaction.atomic():
        for item in parsed:
            record = ProjectRecord(**item.data, status=RecordStatus.APPROVED, proposed_by=user, decided_by=user)
            try:
                record.full_clean()
            except ValidationError as error:
                errors.extend(RowError(item.row, name, m) for name, ms in error.message_dict.items() for m in ms)
                continue
            record.save()
        if errors:
            transaction.set_rollback(True)
            return 0, errors
    return len(parsed), []
