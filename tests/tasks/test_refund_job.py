"""A cancellation with a refund commits at once; the real worker then refunds through Stripe (stripe-mock),
outside the cancellation's transaction and locks, and writes the ledger."""

import datetime as dt
from decimal import Decimal

import pytest

from marketplace.events.services import registrations
from marketplace.events.states import RegistrationStatus
from marketplace.payments.models import LedgerEntry, PaymentStatus
from marketplace.payments.selectors import net_paid
from tests.events.conftest import event_site, organizer  # noqa: F401 - shared fixtures
from tests.payments.conftest import deliver, stripe_mock_url, stripe_settings  # noqa: F401 - shared fixtures
from tests.payments.test_payments import _paid_registration, paid_event  # noqa: F401
from tests.worker import wait_until


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_cancellation_is_refunded_by_the_worker(task_worker, paid_event, deliver):  # noqa: F811
    registration, payment = _paid_registration(paid_event, deliver)  # 2 people x 380.50 = 761.00
    due = registrations.cancel(user=registration.registered_by, registration=registration,
                                now=paid_event.starts_at - dt.timedelta(days=8))
    assert due == Decimal("761.00")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED, "the cancellation does not wait for Stripe"
    refund = wait_until(lambda: LedgerEntry.objects.filter(registration=registration,
                                                          kind=LedgerEntry.Kind.REFUND).first(),
                        timeout=60, what="the worker's refund")
    assert refund.amount == Decimal("761.00") and refund.stripe_object_id.startswith("re_")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED and net_paid(registration) == 0


@pytest.mark.django_db
def test_a_repeated_refund_task_refunds_once(paid_event, deliver):  # noqa: F811
    """A task retried after Stripe refunded (e.g. the worker died before acknowledging) must not refund again."""
    from marketplace.payments.services import refund_outside_locks

    registration, _payment = _paid_registration(paid_event, deliver)
    for _attempt in range(2):
        refund_outside_locks(registration.pk, Decimal("500.00"), refunded_before=Decimal("0"), reason="取消")
    refunds = LedgerEntry.objects.filter(registration=registration, kind=LedgerEntry.Kind.REFUND)
    assert [r.amount for r in refunds] == [Decimal("500.00")]
    assert net_paid(registration) == Decimal("261.00")
