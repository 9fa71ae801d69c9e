"""The life of a role application, with every allowed transition, in one place.

    pending ──> approved   (bureau staff grant the role)
       └──────> declined   (with a reason; the person may apply again)
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleApplicationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已批准")
    DECLINED = "declined", _("未通过")


S = RoleApplicationStatus

ROLE_APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.APPROVED, S.DECLINED}),
    S.APPROVED: frozenset(),
    S.DECLINED: frozenset(),
}


def can_transition(current: str, target: str) -> bool:
    return target in ROLE_APPLICATION_TRANSITIONS.get(current, frozenset())
