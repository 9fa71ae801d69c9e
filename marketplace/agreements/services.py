"""Writes for agreements: create one (from a deal, a form or an import row), register its technology
contract, and import many from CSV/XLSX row by row. Every new agreement starts as "recorded" (see
states.py) whatever its source; verification.py moves it on. Every change is written to the audit trail."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import ACADEMIC_KINDS, Organization, OrganizationKind, User
from marketplace.core.one_time import claim_submission
from marketplace.taxonomy.models import County, IndustryField

from . import audit, duplicates
from .models import Agreement, AgreementParty, AgreementSource, ChangeKind, DuplicateState, PartySide, Target
from .permissions import can_enter_agreements, can_log_at_event

if TYPE_CHECKING:
    from marketplace.events.models import EventPage


@dataclass
class AgreementTerms:
    """What was signed. Parties are passed separately: a deal supplies its own."""

    title: str
    agreement_type: str
    amount: Decimal
    signed_on: date
    county: County
    field: IndustryField
    registration_number: str | None = None
    registered_amount: Decimal | None = None
    notes: str = ""
    event: "EventPage | None" = None
    registration_office: str = ""


@dataclass
class Parties:
    enterprises: Sequence[Organization] = ()
    academics: Sequence[Organization] = ()
    others: Sequence[Organization] = ()

    def links(self) -> list[tuple[Organization, str]]:
        """(organization, side) once per organization; the first side named wins."""
        seen: set[int] = set()
        result = []
        for side, orgs in (
            (PartySide.ENTERPRISE, self.enterprises),
            (PartySide.ACADEMIC, self.academics),
            (PartySide.OTHER, self.others),
        ):
            for org in orgs:
                if org.pk not in seen:
                    seen.add(org.pk)
                    result.append((org, side))
        return result


def party_errors(parties: Parties) -> dict[str, list[str]]:
    """At least one enterprise and one university/institute, each of the right kind."""
    errors: dict[str, list[str]] = {}
    wrong_ent = [o.name for o in parties.enterprises if o.kind != OrganizationKind.ENTERPRISE]
    wrong_acad = [o.name for o in parties.academics if o.kind not in ACADEMIC_KINDS]
    if wrong_ent:
        errors.setdefault("enterprises", []).append(
            _("“%(orgs)s”不是企业。") % {"orgs": "、".join(wrong_ent)}
        )
    elif not parties.enterprises:
        errors.setdefault("enterprises", []).append(
            _("至少需要一家企业签约方。")
        )
    if wrong_acad:
        errors.setdefault("academics", []).append(
            _("“%(orgs)s”不是高校或科研院所。")
            % {"orgs": "、".join(wrong_acad)}
        )
    elif not parties.academics:
        errors.setdefault("academics", []).append(
            _("至少需要一家高校或科研院所签约方。")
        )
    return errors


def _merge(error: ValidationError, into: dict[str, list[str]]) -> None:
    for name, messages in error.message_dict.items():
        into.setdefault(name, []).extend(messages)


@transaction.atomic
def create_agreement(
    *,
    terms: AgreementTerms,
    parties: Parties,
    created_by: User | None,
    source: str = AgreementSource.DIRECT,
    deal=None,
    submission_token: str | None = None,
) -> Agreement:
    """Validate everything, then save the agreement and its parties together (or nothing). A form's
    one-time token is claimed in the same transaction: a second post of that form is refused."""
    agreement = Agreement(
        title=(terms.title or "").strip(),
        agreement_type=terms.agreement_type,
        amount=terms.amount,
        signed_on=terms.signed_on,
        county=terms.county,
        field=terms.field,
        registration_number=(terms.registration_number or "").strip() or None,
        registered_amount=terms.registered_amount,
        registration_office=(terms.registration_office or "").strip(),
        notes=terms.notes or "",
        event=terms.event,
        form_token=submission_token or None,
        source=source,
        deal=deal,
        created_by=created_by,
    )
    errors = party_errors(parties)
    try:
        agreement.full_clean(exclude=[name for name in ("county", "field") if getattr(terms, name) is None])
    except ValidationError as error:
        _merge(error, errors)
    if terms.county is None:
        errors.setdefault("county", []).append(_("请选择县(市、区)。"))
    if terms.field is None:
        errors.setdefault("field", []).append(_("请选择产业领域。"))
    if errors:
        raise ValidationError(errors)
    claim_submission(submission_token, created_by)
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError:
        # Two writers raced for the same registration number; the loser gets the same field error.
        if (
            terms.registration_number
            and Agreement.objects.filter(registration_number=agreement.registration_number).exists()
        ):
            raise ValidationError(
                {
                    "registration_number": [
                        _("该技术合同登记号已被使用。")
                    ]
                }
            ) from None
        raise
    AgreementParty.objects.bulk_create(
        [AgreementParty(agreement=agreement, organization=org, side=side) for org, side in parties.links()]
    )
    audit.record_created(agreement, created_by)
    flag_if_duplicate(agreement, created_by)
    return agreement


def flag_if_duplicate(agreement: Agreement, user: User | None) -> bool:
    """Flag the agreement when it probably repeats another (duplicates.py); unflagged ones stay so."""
    if agreement.duplicate_state in (DuplicateState.KEPT, DuplicateState.MERGED):
        return False
    original = duplicates.probable_original(agreement)
    if original is None:
        return False
    agreement.duplicate_of, agreement.duplicate_state = original, DuplicateState.FLAGGED
    agreement.save(update_fields=["duplicate_of", "duplicate_state"])
    audit.record(agreement, user, ChangeKind.DUPLICATE, "duplicate_state", "", DuplicateState.FLAGGED,
                 note=_("疑似与协议#%(pk)d重复") % {"pk": original.pk})
    return True


def enter_agreement(*, user: User, terms: AgreementTerms, parties: Parties,
                    submission_token: str | None = None) -> Agreement:
    """Direct entry by bureau staff or an organizer."""
    if not can_enter_agreements(user):
        raise PermissionDenied(_("只有科技局工作人员或活动组织方可以录入协议。"))
    if terms.event is not None and not can_log_at_event(user, terms.event):
        raise PermissionDenied(_("只能为本人组织的活动登记签约。"))
    return create_agreement(terms=terms, parties=parties, created_by=user, source=AgreementSource.DIRECT,
                            submission_token=submission_token)


@transaction.atomic
def register_contract(
    *, agreement: Agreement, registration_number: str, registered_amount: Decimal | None,
    user: User | None = None, registration_office: str | None = None,
) -> Agreement:
    """Record the technology-contract registration (技术合同登记) of a signed agreement."""
    before = {"registration_number": agreement.registration_number,
              "registered_amount": agreement.registered_amount,
              "registration_office": agreement.registration_office}
    if registration_office is not None:
        agreement.registration_office = registration_office.strip()
    agreement.registration_number = (registration_number or "").strip() or None
    agreement.registered_amount = registered_amount
    errors: dict[str, list[str]] = {}
    if not agreement.registration_number:
        errors["registration_number"] = [_("请填写技术合同登记号。")]
    try:
        agreement.full_clean()
    except ValidationError as error:
        _merge(error, errors)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            agreement.save(update_fields=["registration_number", "registered_amount", "registration_office"])
    except IntegrityError:
        raise ValidationError(
            {
                "registration_number": [
                    _("该技术合同登记号已被使用。")
                ]
            }
        ) from None
    audit.record_diff(agreement, user, before, {name: getattr(agreement, name) for name in before})
    return agreement


# --- bulk import -----------------------------------------------------------------------------------


@dataclass
class RowError:
    row: int  # the spreadsheet row number (the header is row 1)
    field: str  # the column's label as the user sees it
    message: str

    def __str__(self) -> str:
        return _("第%(row)d行 %(field)s：%(message)s") % {
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


def save_target(*, metric: str, year: int, target: int, note: str = "") -> Target:
    """Set (or change) the goal for one metric in one year."""
    obj, _created = Target.objects.update_or_create(
        metric=metric, year=year, defaults={"target": target, "note": note}
    )
    return obj
