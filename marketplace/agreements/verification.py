"""Writes that move an agreement through verification (states.py): the one transition helper, the two
sides' confirmations, the contract scan, fixing the terms after a return, and resolving a duplicate
flag. Each locks the agreement's row, checks who is acting, and writes the audit trail."""

import logging

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import is_bureau
from marketplace.core.cache import PUBLICATION, bump_after_commit

from . import audit, states
from .models import Agreement, AgreementParty, ChangeKind, Confirmation, DuplicateState, PartySide, scan_path
from .permissions import actor_roles, can_edit_terms, can_upload_evidence, party_sides_of
from .services import AgreementTerms, Parties, flag_if_duplicate, party_errors
from .states import Status, TransitionRefused

logger = logging.getLogger(__name__)
CONFIRMING_SIDES = (PartySide.ENTERPRISE, PartySide.ACADEMIC)


def _locked(agreement_id: int) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement_id)


def unmet_needs(agreement: Agreement, move: states.Move) -> list[str]:
    """What the move needs and the agreement lacks, as sentences for the person acting."""
    missing = []
    if move.needs_scan and not agreement.contract_scan:
        missing.append(_("请先上传合同扫描件（PDF）。"))
    if move.needs_confirmations:
        confirmed = set(agreement.confirmations.values_list("side", flat=True))
        if not set(CONFIRMING_SIDES) <= confirmed:
            missing.append(_("企业方和高校院所方均须确认。"))
    if move.needs_verified_parties:
        unverified = [link.organization.name for link in agreement.party_links.select_related("organization")
                      if not link.organization.verified]
        if unverified:
            missing.append(_("签约方尚未通过机构认证：%(orgs)s。") % {"orgs": "、".join(unverified)})
        if agreement.duplicate_state == DuplicateState.FLAGGED:
            missing.append(_("该协议被标记为疑似重复，须先处理。"))
    return missing


def _audit_status(agreement: Agreement, source: str, target: str, user: User, note: str) -> None:
    audit.record(agreement, user, ChangeKind.STATUS, "status", source, target, note=note)


@transaction.atomic
def apply_transition(*, agreement_id: int, to_status: str, user: User, reason: str = "") -> Agreement:
    """Move the agreement to `to_status` if the table allows it, the user may make that move, and its
    needs are met; otherwise TransitionRefused (or PermissionDenied) with the reason."""
    agreement = _locked(agreement_id)
    move = states.MACHINE.check(agreement.status, to_status)
    if not actor_roles(user, agreement) & move.actors:
        raise PermissionDenied(_("您无权将协议转为“%(s)s”。") % {"s": states.MACHINE.label(to_status)})
    reason = (reason or "").strip()
    missing = unmet_needs(agreement, move)
    if move.needs_reason and not reason:
        missing.append(_("请填写理由。"))
    if missing:
        raise TransitionRefused(" ".join(missing))
    if move.resets_confirmations:
        for confirmation in agreement.confirmations.all():
            audit.record(agreement, user, ChangeKind.CONFIRMED, confirmation.side, "已确认", "",
                         note=_("补正后重新提交，须重新确认"))
        agreement.confirmations.all().delete()
    before = agreement.status
    if move.needs_reason:
        agreement.status_reason = reason
    states.MACHINE.apply(agreement, to_status, actor=user, note=reason, also_save=["status_reason"],
                         log=_audit_status)
    logger.info("agreement %s: %s -> %s by user %s", agreement.pk, before, to_status, user.pk)
    if Status.VERIFIED in (before, to_status):
        # Public pages show verified agreements (an event's signed agreements, the home page's counter): the
        # cached copies of public pages (marketplace.core.cache) are retired like after a publish.
        bump_after_commit(PUBLICATION)
    return agreement


@transaction.atomic
def confirm(*, agreement_id: int, user: User, side: str, on_behalf: bool = False, note: str = "") -> Agreement:
    """One side confirms the recorded terms. A member confirms for their own organization's side; bureau
    staff may confirm on a side's behalf with a note (a paper contract). The second confirmation
    submits the agreement for verification."""
    agreement = _locked(agreement_id)
    if side not in CONFIRMING_SIDES:
        raise ValidationError({"side": _("只有企业方和高校院所方需要确认。")})
    if agreement.status != Status.AWAITING_CONFIRMATION:
        raise ValidationError(_("协议当前不在“待双方确认”状态。"))
    links = [link for link in agreement.party_links.select_related("organization") if link.side == side]
    if on_behalf:
        if not is_bureau(user):
            raise PermissionDenied(_("只有科技局工作人员可以代为确认。"))
        if not note.strip():
            raise ValidationError({"note": _("代为确认时请说明依据（如纸质合同原件）。")})
        organization = links[0].organization
    else:
        if side not in party_sides_of(user, agreement):
            raise PermissionDenied(_("只能以本机构的账号确认本机构一方。"))
        from accounts.permissions import organization_ids_for

        mine = organization_ids_for(user)
        organization = next(link.organization for link in links if link.organization_id in mine)
    if agreement.confirmations.filter(side=side).exists():
        raise ValidationError(_("该方已确认。"))
    Confirmation.objects.create(agreement=agreement, side=side, organization=organization, confirmed_by=user,
                                on_behalf=on_behalf, note=note.strip())
    audit.record(agreement, user, ChangeKind.CONFIRMED, side, "", organization.name,
                 note=(_("科技局代为确认：") + note.strip()) if on_behalf else "")
    if set(agreement.confirmations.values_list("side", flat=True)) >= set(CONFIRMING_SIDES):
        agreement = apply_transition(agreement_id=agreement.pk, to_status=Status.SUBMITTED, user=user)
    return agreement


def check_scan(upload) -> None:
    """A PDF by its content (not its name or declared type), within the size limit."""
    limit = settings.AGREEMENT_SCAN_MAX_BYTES
    if upload.size > limit:
        raise ValidationError({"scan": _("文件过大，上限为%(limit)s。") % {"limit": filesizeformat(limit)}})
    head = upload.read(261)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime != "application/pdf":
        raise ValidationError({"scan": _("合同扫描件须为PDF文件。")})


@transaction.atomic
def attach_scan(*, agreement_id: int, user: User, upload) -> Agreement:
    """Store the signed contract's scan under a random name (the earlier file stays on disk as history)."""
    agreement = _locked(agreement_id)
    if not can_upload_evidence(user, agreement):
        raise PermissionDenied(_("您不能为该协议上传证明材料。"))
    check_scan(upload)
    before = agreement.contract_scan.name
    agreement.contract_scan.save(scan_path(agreement, upload.name), upload, save=False)
    agreement.save(update_fields=["contract_scan"])
    audit.record(agreement, user, ChangeKind.EVIDENCE, "contract_scan", before, agreement.contract_scan.name,
                 note=upload.name[:200])
    return agreement


TERM_FIELDS = ["title", "agreement_type", "amount", "signed_on", "county", "field", "registration_number",
               "registered_amount", "registration_office", "event", "notes"]


def _parties_text(agreement: Agreement) -> str:
    links = agreement.party_links.select_related("organization").order_by("side", "organization__name")
    return "；".join(f"{link.get_side_display().split(' ')[0]}:{link.organization.name}" for link in links)


@transaction.atomic
def update_terms(*, agreement_id: int, user: User, terms: AgreementTerms, parties: Parties) -> Agreement:
    """Fix the terms (recorded or returned agreements only), one trail row per changed field."""
    agreement = _locked(agreement_id)
    if not can_edit_terms(user, agreement):
        raise PermissionDenied(_("该协议当前不能修改。"))
    before = {name: getattr(agreement, name) for name in TERM_FIELDS}
    before_parties = _parties_text(agreement)
    for name in TERM_FIELDS:
        setattr(agreement, name, getattr(terms, name))
    agreement.registration_office = (agreement.registration_office or "").strip()
    errors = party_errors(parties)
    try:
        agreement.full_clean(exclude=["contract_scan", "form_token", "deal", "created_by", "duplicate_of"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    agreement.save()
    audit.record_diff(agreement, user, before, {name: getattr(agreement, name) for name in TERM_FIELDS})
    AgreementParty.objects.filter(agreement=agreement).delete()
    AgreementParty.objects.bulk_create(
        [AgreementParty(agreement=agreement, organization=org, side=side) for org, side in parties.links()])
    after_parties = _parties_text(agreement)
    if after_parties != before_parties:
        audit.record(agreement, user, ChangeKind.FIELD, "parties", before_parties, after_parties)
    flag_if_duplicate(agreement, user)
    return agreement


@transaction.atomic
def resolve_duplicate(*, agreement_id: int, user: User, keep: bool, note: str = "") -> Agreement:
    """The bureau's decision on a flagged agreement: keep it (not a duplicate; it may count once
    verified) or merge it into the original (it is rejected, and its scan goes to the original if
    that one has none)."""
    if not is_bureau(user):
        raise PermissionDenied(_("只有科技局工作人员可以处理疑似重复。"))
    agreement = _locked(agreement_id)
    if agreement.duplicate_state != DuplicateState.FLAGGED:
        raise ValidationError(_("该协议没有待处理的重复标记。"))
    original = agreement.duplicate_of
    if keep or original is None:
        agreement.duplicate_state = DuplicateState.KEPT
        agreement.save(update_fields=["duplicate_state"])
        audit.record(agreement, user, ChangeKind.DUPLICATE, "duplicate_state", DuplicateState.FLAGGED,
                     DuplicateState.KEPT, note=note)
        return agreement
    original = _locked(original.pk)
    if not original.contract_scan and agreement.contract_scan:
        original.contract_scan = agreement.contract_scan.name
        original.save(update_fields=["contract_scan"])
        audit.record(original, user, ChangeKind.EVIDENCE, "contract_scan", "", original.contract_scan.name,
                     note=_("由重复协议#%(pk)d合并") % {"pk": agreement.pk})
    agreement.duplicate_state = DuplicateState.MERGED
    agreement.save(update_fields=["duplicate_state"])
    audit.record(agreement, user, ChangeKind.DUPLICATE, "duplicate_state", DuplicateState.FLAGGED,
                 DuplicateState.MERGED, note=note)
    reason = _("与协议#%(pk)d重复，已合并。") % {"pk": original.pk}
    return apply_transition(agreement_id=agreement.pk, to_status=Status.REJECTED, user=user, reason=reason)
