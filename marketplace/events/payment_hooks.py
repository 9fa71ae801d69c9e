"""Registrations as payments sees them (marketplace.payments.payers): payments sits below events, so events tells
it how to find, lock, confirm and release a registration, registered from EventsConfig.ready()."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User

from .models import Registration, RegistrationLog
from .permissions import can_act_for_registration
from .selectors import registration_detail
from .services import lock_event, mark_paid, payment_expired
from .states import RegistrationStatus


class EventRegistrations:
    def find(self, pk: int) -> Registration | None:
        return registration_detail(pk)

    def page_url(self, registration: Registration) -> str:
        return reverse("events:registration", args=[registration.pk])

    def may_pay(self, user: User, registration: Registration) -> bool:
        return can_act_for_registration(user, registration)

    def awaiting_payment(self, registration: Registration) -> bool:
        return registration.status == RegistrationStatus.PENDING_PAYMENT

    def lock(self, registration: Registration) -> None:
        lock_event(registration.event)

    def paid(self, registration: Registration) -> bool:
        return mark_paid(registration)

    def expired(self, registration: Registration) -> None:
        payment_expired(registration)

    def note(self, registration: Registration, text: str) -> None:
        RegistrationLog.objects.create(registration=registration, from_status=registration.status,
                                       to_status=registration.status, note=text)
