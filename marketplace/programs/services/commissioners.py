"""Proposing, confirming, approving commissioner assignments, and their monthly service logs."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_bureau, verified_organization_ids_for

from .. import permissions
from ..models import CommissionerAssignment, ServiceLog
from ..states import ASSIGNMENT_MACHINE, AssignmentStatus


def _move(assignment: CommissionerAssignment, target: str) -> None:
    # Saved by the caller, with who decided and when.
    assignment.status = ASSIGNMENT_MACHINE.check(assignment.status, target).target


@transaction.atomic
def propose_assignment(*, user, data: dict) -> CommissionerAssignment:
    if not permissions.can_propose_assignment(user):
        raise PermissionDenied(_("只有已认证机构的成员或科技局工作人员可以登记科技特派员。"))
    assignment = CommissionerAssignment(**data, created_by=user, status=AssignmentStatus.PROPOSED)
    own = {assignment.enterprise_id, assignment.institution_id} & verified_organization_ids_for(user)
    if not (is_bureau(user) or own):
        raise PermissionDenied(_("只能为本人所在的服务企业或派出单位登记科技特派员。"))
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def confirm_assignment(*, user, assignment: CommissionerAssignment) -> CommissionerAssignment:
    """A verified member confirms for their side; when both sides have confirmed, it awaits the bureau."""
    assignment = CommissionerAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status != AssignmentStatus.PROPOSED:
        raise ValidationError(_("当前状态（%(state)s）不能确认。") % {"state": assignment.get_status_display()})
    side = permissions.confirmable_side(user, assignment)
    if side is None:
        raise PermissionDenied(_("只有服务企业或派出单位的已认证成员可以确认。"))
    now = timezone.now()
    setattr(assignment, f"{side}_confirmed_by", user)
    setattr(assignment, f"{side}_confirmed_at", now)
    if assignment.enterprise_confirmed_at and assignment.institution_confirmed_at:
        _move(assignment, AssignmentStatus.CONFIRMED)
    assignment.save()
    return assignment


@transaction.atomic
def decide_assignment(*, user, assignment: CommissionerAssignment, approve: bool, note: str = "",
                      on: date | None = None) -> CommissionerAssignment:
    if not is_bureau(user):
        raise PermissionDenied(_("只有科技局工作人员可以审核科技特派员。"))
    assignment = CommissionerAssignment.objects.select_for_update().get(pk=assignment.pk)
    _move(assignment, AssignmentStatus.APPROVED if approve else AssignmentStatus.REJECTED)
    if not approve and not note.strip():
        raise ValidationError({"note": _("不予认定时请填写理由。")})
    assignment.decided_by = user
    assignment.decision_note = note
    assignment.approved_on = (on or timezone.localdate()) if approve else None
    assignment.save()
    return assignment


def write_log(*, user, assignment: CommissionerAssignment, data: dict) -> ServiceLog:
    if not permissions.can_write_log(user, assignment):
        raise PermissionDenied(_("只有已认定的特派员本人可以填写服务月志。"))
    log = ServiceLog(assignment=assignment, created_by=user, **data)
    log.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            log.save()
    except IntegrityError:
        raise ValidationError({"month": _("该月份的服务月志已填写。")}) from None
    return log
