import datetime as dt
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from .models import LedgerEntry, Payment, PaymentStatus


def ledger_totals(registration) -> tuple[Decimal, Decimal]:
    """(charged, refunded) for a registration, from the ledger."""
    rows = dict(LedgerEntry.objects.filter(registration=registration).values("kind").annotate(
        total=Sum("amount")).values_list("kind", "total"))
    return rows.get(LedgerEntry.Kind.CHARGE, Decimal("0")), rows.get(LedgerEntry.Kind.REFUND, Decimal("0"))


def net_paid(registration) -> Decimal:
    charged, refunded = ledger_totals(registration)
    return charged - refunded


def refundable(payment: Payment) -> Decimal:
    rows = dict(payment.ledger.values("kind").annotate(total=Sum("amount")).values_list("kind", "total"))
    return rows.get(LedgerEntry.Kind.CHARGE, Decimal("0")) - rows.get(LedgerEntry.Kind.REFUND, Decimal("0"))


def open_payment(registration) -> Payment | None:
    """A checkout session still usable (not about to expire), to send a second click to the same page."""
    soon = timezone.now() + dt.timedelta(minutes=5)
    return (Payment.objects.filter(registration=registration, status=PaymentStatus.OPEN)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=soon)).first())


def has_open_or_paid_payment(registration) -> bool:
    now = timezone.now()
    return Payment.objects.filter(registration=registration).filter(
        Q(status=PaymentStatus.PAID) | Q(status=PaymentStatus.OPEN, expires_at__gt=now)).exists()


def payments_of(registration) -> list[Payment]:
    return list(Payment.objects.filter(registration=registration).prefetch_related("ledger"))


def online_payment_available() -> bool:
    """Stripe Checkout can be offered only when the platform has a Stripe key; otherwise pages show the
    organizer's bank-transfer instructions and no card/Alipay/WeChat Pay."""
    from django.conf import settings

    return bool(settings.STRIPE_SECRET_KEY)
