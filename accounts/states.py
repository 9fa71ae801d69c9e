"""The life of a role application, with every allowed transition, in one place.

    pending ──> approved   (bureau staff grant the role)
       └──────> declined   (with a reason; the person may apply again)
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.core.states import StateMachine


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


_DECIDED = _("该申请已审核，不能再次处理。")

MACHINE = StateMachine(RoleApplicationStatus, ROLE_APPLICATION_TRANSITIONS,
                       messages={"same": _DECIDED, "terminal": _DECIDED, "not_allowed": _DECIDED})
