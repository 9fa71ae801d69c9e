"""The day-before reminder: everyone registered (confirmed) for an event that starts tomorrow, Shanghai time,
gets one e-mail with the time, the place and a link to the ticket; exactly once per registration."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jobs.notices import send_notice_once, site_url

from .models import EventPage, Registration
from .states import RegistrationStatus as S


def page_path(page) -> str:
    """The page's path on its site (never the host of Wagtail's Site record, which may not be how the site
    is served)."""
    parts = page.get_url_parts()
    return parts[2] if parts else "/"


def reminder_key(registration: Registration) -> str:
    return f"event-reminder:{registration.pk}"


def send_event_reminders(*, now: dt.datetime | None = None) -> int:
    """Beat's job (events.send_reminders, hourly). Returns how many reminders went out."""
    tomorrow = timezone.localtime(now or timezone.now()).date() + dt.timedelta(days=1)
    events = EventPage.objects.live().filter(starts_at__date=tomorrow)  # __date uses the Shanghai zone
    sent = 0
    for registration in (Registration.objects.filter(event__in=events, status=S.CONFIRMED)
                         .select_related("event", "organization").prefetch_related("participants")):
        recipients = [registration.contact_email] + [p.email for p in registration.participants.all()]
        context = {
            "registration": registration, "event": registration.event,
            "ticket_url": site_url(reverse("events:registration", args=[registration.pk])),
            "event_url": site_url(page_path(registration.event)),
        }
        with transaction.atomic():
            sent += send_notice_once(key=reminder_key(registration), to=recipients,
                                     template="events/email/reminder", context=context)
    return sent
