"""科技成果评价: bureau staff enter third-party evaluation reports of listed results."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..models import EvaluationReport


def enter_evaluation(*, user, data: dict) -> EvaluationReport:
    if not permissions.can_enter_evaluation(user):
        raise PermissionDenied(_("只有科技局工作人员可以登记成果评价。"))
    evaluation = EvaluationReport(**data, entered_by=user)
    evaluation.full_clean()
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError:  # two bureau members saving the same report at once
        raise ValidationError({"evaluator": _("该机构在同一日期对该成果的评价已登记。")}) from None
    return evaluation
