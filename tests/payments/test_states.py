"""Every pair of payment statuses through the one setter of Payment.status: exactly the moves of the
payment lifecycle happen, every other pair is refused and leaves the payment as it was."""

import itertools

import pytest

from marketplace.core.states import TransitionRefused
from marketplace.payments import services
from marketplace.payments.models import Payment, PaymentStatus
from marketplace.payments.states import MACHINE

P = PaymentStatus
# Written out by hand from the lifecycle, not read back from the table under test: money that arrives
# after the session expired is still recorded (expired -> paid), and a partial refund may follow another.
ALLOWED = {
    (P.OPEN, P.PAID), (P.OPEN, P.EXPIRED), (P.EXPIRED, P.PAID),
    (P.PAID, P.PARTIALLY_REFUNDED), (P.PAID, P.REFUNDED),
    (P.PARTIALLY_REFUNDED, P.PARTIALLY_REFUNDED), (P.PARTIALLY_REFUNDED, P.REFUNDED),
}


@pytest.mark.parametrize(("source", "target"), list(itertools.product(P.values, P.values)))
def test_every_pair_of_payment_statuses(source, target):
    payment = Payment(status=source)
    if (source, target) in ALLOWED:
        services._set_status(payment, target)
        assert payment.status == target
    else:
        with pytest.raises(TransitionRefused):
            services._set_status(payment, target)
        assert payment.status == source


def test_a_refunded_payment_is_final():
    assert MACHINE.terminal == {P.REFUNDED}
