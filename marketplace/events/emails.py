"""E-mails to registrants. Sent after the transaction commits, so a rolled-back change never mails."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .states import RegistrationStatus as S
from .states import offer_window

SUBJECTS = {
    S.CONFIRMED: _("报名成功：%(event)s"),
    S.PENDING_PAYMENT: _("请完成支付：%(event)s"),
    S.PENDING_APPROVAL: _("报名已提交，等待审核：%(event)s"),
    S.WAITLISTED: _("已进入候补名单：%(event)s"),
    S.REJECTED: _("报名未通过：%(event)s"),
    S.CANCELLED: _("报名已取消：%(event)s"),
}


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _send(registration, status: str, previous: str = "") -> None:
    subject_template = SUBJECTS.get(status)
    if subject_template is None:
        return
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "status": status,
        "previous": previous,
        "ticket_url": absolute(reverse("events:registration", args=[registration.pk])),
        "waitlist_position": _waitlist_position(registration) if status == S.WAITLISTED else None,
        "offer_deadline": _offer_deadline(status, previous),
        "S": S,
    }
    subject = subject_template % {"event": event.title}
    body = render_to_string("events/email/registration_status.txt", context)
    recipient = registration.contact_email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient]))


def _offer_deadline(status: str, previous: str):
    """A seat offered from the waiting list must be paid for in time (see offers.py), and the mail says by when."""
    if status != S.PENDING_PAYMENT or previous != S.WAITLISTED:
        return None
    return timezone.now() + offer_window()


def _waitlist_position(registration) -> int:
    from .models import Registration

    return Registration.objects.filter(event_id=registration.event_id, status=S.WAITLISTED,
                                       waitlisted_at__lte=registration.waitlisted_at,
                                       pk__lte=registration.pk).count()


def registered(registration) -> None:
    _send(registration, registration.status)


def status_changed(registration, previous: str) -> None:
    _send(registration, registration.status, previous)


def agenda_published(event) -> None:
    from .models import Registration
    from .states import ATTENDING

    subject = _("洽谈日程已发布：%(event)s") % {"event": event.title}
    for registration in Registration.objects.filter(event=event, status__in=ATTENDING):
        body = render_to_string("events/email/agenda_published.txt", {
            "registration": registration, "event": event,
            "ticket_url": absolute(reverse("events:registration", args=[registration.pk]))})
        recipient = registration.contact_email
        transaction.on_commit(lambda r=recipient, b=body: send_mail(subject, b, None, [r]))
