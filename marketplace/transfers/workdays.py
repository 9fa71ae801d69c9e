"""Working days for listing and publicity windows. Weekends only: public holidays (and the make-up
working Saturdays around them) are not modelled; the bureau can lengthen a window by hand if needed."""

import datetime as dt

from django.utils import timezone


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The moment `days` working days (Monday to Friday) after `start`, at the same local time."""
    moment = timezone.localtime(start)  # a weekend is a weekend in Binzhou, not in UTC
    left = days
    while left > 0:
        moment += dt.timedelta(days=1)
        if moment.weekday() < 5:
            left -= 1
    return moment
