"""Writing the append-only audit trail. Every service that changes an agreement calls record() in the
same transaction as the change, so a change and its trail row are saved together or not at all."""

from datetime import date
from decimal import Decimal

from accounts.models import User

from .models import Agreement, AgreementChange, ChangeKind


def as_text(value) -> str:
    """How a value is kept in the trail: plain text a person can read in the export."""
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "_meta"):  # a model instance: its name, as people know it
        return str(value)
    return str(value)


def record(agreement: Agreement, user: User | None, kind: str, field_name: str = "", old="", new="",
           note: str = "") -> AgreementChange:
    return AgreementChange.objects.create(
        agreement=agreement, changed_by=user if user and user.is_authenticated else None, kind=kind,
        field_name=field_name, old_value=as_text(old), new_value=as_text(new), note=note,
    )


def record_created(agreement: Agreement, user: User | None) -> None:
    record(agreement, user, ChangeKind.CREATED, "status", "", agreement.status,
           note=f"{agreement.title}；{agreement.amount:.2f}元；{agreement.signed_on.isoformat()}")


def record_diff(agreement: Agreement, user: User | None, before: dict, after: dict) -> list[str]:
    """One FIELD row per field whose value changed; returns the changed field names."""
    changed = [name for name in after if as_text(before.get(name)) != as_text(after[name])]
    for name in changed:
        record(agreement, user, ChangeKind.FIELD, name, before.get(name), after[name])
    return changed
