"""What every registration write starts with: the event and registration row locks, the guarded status
move (the registration state machine of events/states.py, logged as RegistrationLog rows) and the
organizer guard."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.core.states import TransitionRefused

from .. import emails
from ..models import EventPage, Registration, RegistrationLog
from ..permissions import can_manage_event
from ..states import MACHINE, RegistrationStatus

S = RegistrationStatus

# When a registration enters one of these statuses, this timestamp records when.
STAMPED = {S.CONFIRMED: "confirmed_at", S.CANCELLED: "cancelled_at", S.REJECTED: "cancelled_at",
           S.WAITLISTED: "waitlisted_at"}


def lock_event(event: EventPage) -> EventPage:
    """Lock the event row for the rest of the transaction. Every seat-changing write starts here."""
    # FOR NO KEY UPDATE: serialises seat-changing writes just as well, but does not block the foreign-key
    # checks of rows that merely point at the event (a check-in's log row, committed while a cancellation
    # holds this lock and waits for the registration row: with a full FOR UPDATE that is a deadlock).
    qs = EventPage.objects.select_for_update(no_key=True)
    if connection.features.has_select_for_update_of:
        # Lock the event's own row, not Wagtail's shared page row that the admin also writes.
        qs = EventPage.objects.select_for_update(no_key=True, of=("self",))
    return qs.get(pk=event.pk)


def lock_registration(registration: Registration) -> Registration:
    """Lock the registration's row and return it as committed now. Every status change (approve, reject,
    cancel, payment, check-in) takes this lock and decides on the fresh status, so two of them cannot both
    act on the same old status. Seat-changing writes lock the event first (same order everywhere)."""
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.refresh_from_db()
    return locked


def _log(registration: Registration, source: str, target: str, by: User | None, note: str) -> None:
    RegistrationLog.objects.create(registration=registration, from_status=source, to_status=target, by=by,
                                   note=note[:300])


def transition(registration: Registration, target: str, *, by: User | None = None, note: str = "") -> None:
    """Move the registration to `target` if the state machine allows it (TransitionRefused says why not),
    stamp when, log the move and tell the registrant. The caller holds the registration's row lock."""
    current = registration.status
    MACHINE.check(current, target)
    # The row must still hold the status the decision was made on: the caller holds the row lock, so this
    # only fails if a caller forgot it.
    if not Registration.objects.filter(pk=registration.pk, status=current).exists():
        raise TransitionRefused(_("报名状态已被他人修改，请刷新后重试。"))
    stamp = STAMPED.get(target)
    if stamp:
        setattr(registration, stamp, timezone.now())
    MACHINE.apply(registration, target, actor=by, note=note, log=_log, also_save=[stamp] if stamp else [])
    emails.status_changed(registration, current)


def organizer_only(user: User, event: EventPage) -> None:
    if not can_manage_event(user, event):
        raise PermissionDenied(_("只有本活动的组织方可以操作。"))
