"""Offline payment: the organizer received the money for a held seat by bank transfer (对公转账) or on
site, and records it. The payment and its ledger row sit beside Stripe's, and a later refund of it is
recorded the same way (payments.services), not sent to Stripe."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.payments.models import OFFLINE_METHODS, LedgerEntry, Payment, PaymentStatus

from .models import Registration
from .permissions import can_manage_event
from .services.checkout import mark_paid
from .services.common import lock_event, lock_registration
from .states import RegistrationStatus


@transaction.atomic
def record_offline_payment(*, user: User, registration: Registration, method: str, amount: Decimal,
                           reference: str = "") -> Payment:
    """Confirm a registration waiting for payment with money the organizer received offline."""
    if not can_manage_event(user, registration.event):
        raise PermissionDenied(_("只有本活动的组织方可以操作。"))
    if method not in OFFLINE_METHODS:
        raise ValidationError({"method": _("请选择对公转账或现场缴费。")})
    reference = reference.strip()
    if method == "bank_transfer" and not reference:
        raise ValidationError({"reference": _("对公转账请填写银行流水号或回单号。")})
    lock_event(registration.event)  # lock order as for Stripe payments: event row, then the rest
    locked = lock_registration(registration)
    if locked.status != RegistrationStatus.PENDING_PAYMENT:
        raise ValidationError(_("该报名当前无需付款（状态：%(s)s）。") % {"s": locked.get_status_display()})
    # Only the full amount confirms a seat; a partial or excess payment is settled with the payer first.
    if amount != locked.total_price:
        raise ValidationError({"amount": _("金额须为应付金额 ¥%(a)s。") % {"a": locked.total_price}})
    key = f"offline-{uuid.uuid4().hex}"
    payment = Payment.objects.create(
        registration=locked, amount=amount, currency="cny", status=PaymentStatus.PAID, method=method,
        reference=reference, recorded_by=user, paid_at=timezone.now(), stripe_session_id=key)
    LedgerEntry.objects.create(
        payment=payment, registration=locked, kind=LedgerEntry.Kind.CHARGE, amount=amount, currency="cny",
        stripe_object_id=key, stripe_session_id=key, note=f"{method} {reference}"[:300])
    mark_paid(locked, by=user, note=f"paid offline ({method}) {reference}"[:300])
    return payment
