"""The payment state machine, as data, built as the shared state-machine helper (marketplace.core.states).

    open ──> paid ──> partially_refunded ──> (partially_refunded again) ──> refunded
      │        └──────────────────────────────────────────────────────────> refunded
      └────> expired ──> paid

EXPIRED -> PAID exists because money that arrives late has still arrived: it is recorded, and refunded
if the registration no longer wants it. A partial refund may follow another one.
"""

from django.utils.translation import gettext_lazy as _

from marketplace.core.states import StateMachine

from .models import PaymentStatus

P = PaymentStatus

PAYMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    P.OPEN: frozenset({P.PAID, P.EXPIRED}),
    P.EXPIRED: frozenset({P.PAID}),
    P.PAID: frozenset({P.PARTIALLY_REFUNDED, P.REFUNDED}),
    P.PARTIALLY_REFUNDED: frozenset({P.PARTIALLY_REFUNDED, P.REFUNDED}),
    P.REFUNDED: frozenset(),
}

MACHINE = StateMachine(PaymentStatus, PAYMENT_TRANSITIONS, noun=_("付款"))
