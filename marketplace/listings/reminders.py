"""The demand-deadline reminder: the owner of a published demand whose deadline is DEMAND_DEADLINE_REMINDER_DAYS
away (or nearer, if beat was down on the day) gets one e-mail, exactly once per deadline: moving the deadline
later earns a new reminder for the new date."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jobs.notices import send_notice_once, site_url

from .models import DemandPage


def reminder_days() -> int:
    return getattr(settings, "DEMAND_DEADLINE_REMINDER_DAYS", 3)


def reminder_key(demand: DemandPage) -> str:
    return f"demand-deadline:{demand.pk}:{demand.deadline.isoformat()}"


def _page_path(page) -> str:
    parts = page.get_url_parts()
    return parts[2] if parts else "/"


def send_deadline_reminders(*, now: dt.datetime | None = None) -> int:
    """Beat's job (listings.deadline_reminders, hourly). Returns how many reminders went out."""
    today = timezone.localtime(now or timezone.now()).date()
    last_day = today + dt.timedelta(days=reminder_days())
    due = (DemandPage.objects.live().filter(deadline__gte=today, deadline__lte=last_day)
           .select_related("owner", "organization"))
    sent = 0
    for demand in due:
        if demand.owner is None:
            continue
        context = {
            "demand": demand, "owner": demand.owner, "days_left": (demand.deadline - today).days,
            "demand_url": site_url(_page_path(demand)),
            "my_listings_url": site_url(reverse("listings:my_listings")),
        }
        with transaction.atomic():
            sent += send_notice_once(key=reminder_key(demand), to=[demand.owner.email],
                                     template="listings/email/deadline_reminder", context=context)
    return sent
