"""Waiting-list offers. A registration promoted from the waiting list straight into 待支付 is an offer: it
holds the freed seat for WAITLIST_OFFER_HOURS. An open Stripe checkout keeps it (the checkout's own expiry,
payments.expire_unpaid, handles that case); with neither a payment nor an open checkout when the window
ends, the offer lapses: the registration is cancelled and the seat passes to the next in the queue.
Promotions into 待审核 are not offers (the organizer, not the registrant, must act) and do not lapse."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from marketplace.payments.selectors import has_open_or_paid_payment

from .models import Registration, RegistrationLog
from .services.common import lock_event, lock_registration, transition
from .services.waitlist import promote_waitlist
from .states import RegistrationStatus as S
from .states import offer_window

LAPSED_NOTE = "waiting-list offer lapsed unpaid"


def offer_deadline(registration: Registration) -> dt.datetime | None:
    """When the registration's waiting-list offer lapses, or None if it is not an open offer."""
    if registration.status != S.PENDING_PAYMENT:
        return None
    promoted = (RegistrationLog.objects.filter(registration=registration, to_status=S.PENDING_PAYMENT)
                .order_by("-at", "-pk").first())
    if promoted is None or promoted.from_status != S.WAITLISTED:
        return None
    return promoted.at + offer_window()


def lapse_unanswered_offers(*, now: dt.datetime | None = None) -> int:
    """Beat's sweep (events.lapse_offers). Returns how many offers lapsed."""
    moment = now or timezone.now()
    cutoff = moment - offer_window()
    candidates = Registration.objects.filter(
        status=S.PENDING_PAYMENT, log__from_status=S.WAITLISTED, log__to_status=S.PENDING_PAYMENT,
        log__at__lt=cutoff).distinct().select_related("event")
    lapsed = 0
    for registration in candidates:
        with transaction.atomic():
            event = lock_event(registration.event)  # the same lock order as every seat-changing write
            lock_registration(registration)
            deadline = offer_deadline(registration)
            if deadline is None or deadline > moment or has_open_or_paid_payment(registration):
                continue  # paid, cancelled or re-offered meanwhile, or a checkout is still open
            transition(registration, S.CANCELLED, note=LAPSED_NOTE)
            promote_waitlist(event)
            lapsed += 1
    return lapsed
