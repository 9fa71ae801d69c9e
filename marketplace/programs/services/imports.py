"""Bulk import, all rows or none: any problem in any row (reading it, or the record's own rules) and nothing
is written; every problem is returned by row and column. Imported records are the bureau's own entries,
approved on the date the sheet gives, so last year's figures land in last year."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import is_bureau
from marketplace.agreements.importing import read_table
from marketplace.agreements.services import RowError

from ..importing import parse_rows
from ..sheets import SHEETS


def _link_saved_parents(record) -> None:
    """A record built with a parent saved just before it (a station's staff membership) gets the parent's
    id now, so that validating it does not find the link empty (Django itself does this only on save)."""
    for field in record._meta.concrete_fields:
        if field.is_relation and field.is_cached(record) and getattr(record, field.attname) is None:
            parent = getattr(record, field.name)
            if parent is not None and parent.pk is not None:
                setattr(record, field.attname, parent.pk)


def import_sheet(*, user, kind: str, filename: str, content: bytes) -> tuple[int, list[RowError]]:
    """(rows imported, row errors). Raises ValidationError for a file that cannot be read at all."""
    if not is_bureau(user):
        raise PermissionDenied(_("只有科技局工作人员可以批量导入。"))
    sheet = SHEETS[kind]
    parsed, errors = parse_rows(read_table(filename, content), sheet.columns, sheet.required, sheet.parsers)
    # The rows that read well are still checked against the records' own rules (in a transaction that is
    # rolled back), so one pass lists every problem of the sheet.
    with transaction.atomic():
        for item in parsed:
            for record in sheet.build(dict(item.data), user):
                _link_saved_parents(record)
                try:
                    # Constraints too (a second evaluation of the same day, a duplicate USCC).
                    record.full_clean()
                except ValidationError as error:
                    errors.extend(RowError(item.row, sheet.label_of(name), m)
                                  for name, ms in error.message_dict.items() for m in ms)
                    break
                record.save()
        if errors:
            transaction.set_rollback(True)
            return 0, sorted(errors, key=lambda e: e.row)
    return len(parsed), []
