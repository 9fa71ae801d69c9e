"""Meeting preferences: an organization requests or declines a 1:1 meeting with another registered
organization; and dropping a registration's meetings when it leaves the event."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import Meeting, MeetingPreference, Registration
from ..permissions import can_act_for_registration
from ..states import ACTIVE


@transaction.atomic
def set_preference(*, user: User, registration: Registration, target: Registration, kind: str | None
                   ) -> MeetingPreference | None:
    """Request or decline a meeting with another registered organization (kind None clears it)."""
    if not can_act_for_registration(user, registration):
        raise PermissionDenied(_("无权修改此报名。"))
    if target.event_id != registration.event_id or target.pk == registration.pk:
        raise ValidationError(_("只能选择本活动的其他参会单位。"))
    if registration.status not in ACTIVE or target.status not in ACTIVE:
        raise ValidationError(_("双方都须为有效报名。"))
    if kind is None:
        MeetingPreference.objects.filter(source=registration, target=target).delete()
        return None
    if kind not in MeetingPreference.Kind.values:
        raise ValidationError(_("未知的洽谈意向。"))
    preference, _created = MeetingPreference.objects.update_or_create(
        source=registration, target=target, defaults={"kind": kind, "event_id": registration.event_id})
    if kind == MeetingPreference.Kind.DECLINE:
        # A decline takes effect at once, also on a schedule already generated.
        Meeting.objects.filter(event_id=registration.event_id, a__in=[registration, target],
                               b__in=[registration, target]).delete()
    return preference


def drop_meetings(registration: Registration) -> None:
    """A registration that leaves the event (cancelled, rejected) leaves the schedule too."""
    Meeting.objects.filter(Q(a=registration) | Q(b=registration)).delete()
