"""What payments needs to know about the thing paid for (an event registration), told by the app that owns it.

payments sits below events and never imports it, not even inside a function: events registers a Payer from its
ready() (marketplace.events.payment_hooks), and checkout, the webhook and the expiry sweep ask it."""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured


class Payer(Protocol):
    def find(self, pk: int) -> Any | None:
        """The registration with this id, ready for checkout (event and ticket loaded), or None."""

    def page_url(self, registration: Any) -> str:
        """Where the registrant sees the registration (checkout returns there)."""

    def may_pay(self, user: Any, registration: Any) -> bool:
        """The user may pay for this registration."""

    def awaiting_payment(self, registration: Any) -> bool:
        """The registration is waiting for its payment."""

    def lock(self, registration: Any) -> None:
        """Take the owner's lock before the payment row's (one lock order everywhere)."""

    def paid(self, registration: Any) -> bool:
        """A verified payment arrived: True if it confirmed the registration, False if the registration no longer
        wants the money (the caller refunds it)."""

    def expired(self, registration: Any) -> None:
        """The checkout expired unpaid: release what it held."""

    def note(self, registration: Any, text: str) -> None:
        """Write a line in the registration's own log (the organizer sees it)."""


_payer: list[Payer] = []


def register_payer(payer: Payer) -> None:
    _payer[:] = [payer]


def payer() -> Payer:
    if not _payer:
        raise ImproperlyConfigured("no Payer registered (marketplace.events registers one in its ready())")
    return _payer[0]
