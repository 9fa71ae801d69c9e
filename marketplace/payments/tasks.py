"""Payment tasks: refunds run in the worker, outside any transaction or row lock, retried with backoff
while Stripe is unreachable (each failed attempt is listed for bureau staff)."""

from __future__ import annotations

from decimal import Decimal

from celery import shared_task

from jobs.base import RecordedTask


@shared_task(base=RecordedTask, name="payments.refund_registration", max_retries=8)
def refund_registration_task(registration_id: int, amount: str, refunded_before: str, reason: str) -> list[int]:
    from .services import refund_outside_locks

    entries = refund_outside_locks(registration_id, Decimal(amount), refunded_before=Decimal(refunded_before),
                                   reason=reason)
    return [entry.pk for entry in entries]


@shared_task(base=RecordedTask, name="payments.expire_unpaid")
def expire_unpaid_task() -> int:
    from .webhooks import expire_unpaid_checkouts

    return expire_unpaid_checkouts()


def request_refund(registration_id: int, amount: Decimal, *, reason: str) -> None:
    """Refund once the caller's transaction commits (amounts travel as strings: JSON has no Decimal)."""
    from jobs.services import enqueue

    from .services import refunded_total

    enqueue(refund_registration_task, registration_id, str(amount), str(refunded_total(registration_id)), reason)
