"""The base page's public booking calendar and its "book a trial run" link (listings/pilot_base_page.html).
Listings sits below this app, so the page reaches it through this tag, never by import."""

from django import template
from django.utils import timezone

from accounts.permissions import is_member

from .. import selectors

register = template.Library()


def _month(request) -> tuple[int, int]:
    today = timezone.localdate()
    raw = (request.GET.get("month", "") if request is not None else "").split("-")
    try:
        year, month = int(raw[0]), int(raw[1])
    except (ValueError, IndexError):
        return today.year, today.month
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return today.year, today.month
    return year, month


@register.inclusion_tag("bookings/_calendar.html", takes_context=True)
def booking_calendar(context, page) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        state = "anonymous"
    elif is_member(user, page.organization):
        state = "operator"
    elif selectors.can_request(user, page):
        state = "can"
    else:
        state = "unverified"
    year, month = _month(request)
    return {"page": page, "state": state, "month": selectors.calendar_month(page, year, month),
            "weekdays": ["一", "二", "三", "四", "五", "六", "日"]}
