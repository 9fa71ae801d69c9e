"""Money: Stripe Checkout payments for event registrations, the ledger of every money movement, and
the Stripe events already processed (so a webhook delivered twice changes state once)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.fields import MoneyField


class PaymentStatus(models.TextChoices):
    OPEN = "open", _("待支付")
    PAID = "paid", _("已支付")
    EXPIRED = "expired", _("未支付已失效")
    PARTIALLY_REFUNDED = "partially_refunded", _("部分退款")
    REFUNDED = "refunded", _("已退款")


P = PaymentStatus


class PaymentMethod(models.TextChoices):
    STRIPE = "stripe", _("在线支付")
    BANK_TRANSFER = "bank_transfer", _("对公转账")
    ON_SITE = "on_site", _("现场缴费")


# Recorded by the organizer, not through Stripe: refunds of these are recorded, never sent to Stripe.
OFFLINE_METHODS = frozenset({PaymentMethod.BANK_TRANSFER, PaymentMethod.ON_SITE})
# The payment state machine (which status may follow which) is in states.py.


class Payment(models.Model):
    """One payment for one registration: a Stripe Checkout Session, or money the organizer received
    offline (bank transfer, on site) and recorded here, so the ledger holds both."""

    registration = models.ForeignKey("events.Registration", on_delete=models.PROTECT, related_name="payments")
    amount = MoneyField(_("金额"))
    currency = models.CharField(_("币种"), max_length=3, default="cny")
    status = models.CharField(_("状态"), max_length=20, choices=PaymentStatus.choices, default=P.OPEN)
    method = models.CharField(_("付款方式"), max_length=20, choices=PaymentMethod.choices,
                              default=PaymentMethod.STRIPE)
    # The bank's transaction number or the receipt number the organizer wrote down.
    reference = models.CharField(_("付款凭证号"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("登记人"))
    # For an offline payment, "offline-<uuid>": unique like a Stripe session id.
    stripe_session_id = models.CharField(max_length=255, unique=True)
    stripe_payment_intent_id = models.CharField(max_length=255, blank=True)
    checkout_url = models.URLField(max_length=2000, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    # Set when Stripe reports an amount or currency other than the one asked for: the payment was not
    # accepted (refunded at once) and the organizer sees this note on the registration.
    flagged_reason = models.CharField(_("异常说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("支付")

    def __str__(self) -> str:
        return f"{self.stripe_session_id} {self.amount} {self.currency} {self.status}"

    @property
    def is_offline(self) -> bool:
        return self.method in OFFLINE_METHODS


class LedgerEntry(models.Model):
    """Every money movement, append-only. Amounts are positive; `kind` says which way it went."""

    class Kind(models.TextChoices):
        CHARGE = "charge", _("收款")
        REFUND = "refund", _("退款")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="ledger")
    registration = models.ForeignKey("events.Registration", on_delete=models.PROTECT,
                                     related_name="ledger_entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount = MoneyField(_("金额"))
    currency = models.CharField(max_length=3)
    # The Stripe object that moved the money: the PaymentIntent of a charge, the Refund of a refund.
    stripe_object_id = models.CharField(max_length=255)
    stripe_session_id = models.CharField(max_length=255, blank=True)
    stripe_event_id = models.CharField(max_length=255, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("账目")
        verbose_name_plural = _("账目")
        constraints = [
            models.UniqueConstraint(fields=["kind", "stripe_object_id"],
                                    name="payments_ledger_one_row_per_object"),
            models.UniqueConstraint(fields=["payment"], condition=Q(kind="charge"),
                                    name="payments_ledger_one_charge_per_payment"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_ledger_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency} ({self.stripe_object_id})"


class ProcessedStripeEvent(models.Model):
    """A Stripe event id we have acted on. Inserted in the same transaction as the state change."""

    event_id = models.CharField(max_length=255, primary_key=True)
    type = models.CharField(max_length=100)
    outcome = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"
