"""A listed transfer (挂牌交易) of one research result, its bidders (each with a Stripe-held deposit),
their bids, objections raised during the publicity period, and every state change."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.private_files import PrivateFileField
from marketplace.core.fields import MoneyField
from marketplace.listings.validators import validate_attachment

from .states import OPEN_FOR_BIDS, DepositState, ListingState

DEFAULT_WINDOW_DAYS = 20
DEFAULT_PUBLICITY_DAYS = 5


class TransferMode(models.TextChoices):
    TRANSFER = "transfer", _("转让")
    LICENSE = "license", _("许可")
    INVESTMENT = "investment", _("作价投资")


class TransferListing(models.Model):
    achievement = models.ForeignKey("listings.AchievementPage", verbose_name=_("科技成果"),
                                    on_delete=models.PROTECT, related_name="transfer_listings")
    organization = models.ForeignKey("accounts.Organization", verbose_name=_("挂牌方"),
                                     on_delete=models.PROTECT, related_name="transfer_listings")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT,
                                     related_name="+")
    # Every deal has a broker; the listing names the one who will carry the concluded transfer.
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("受托技术经纪人"), on_delete=models.PROTECT,
                              related_name="+", limit_choices_to={"role": "agent", "is_active": True})
    mode = models.CharField(_("交易方式"), max_length=12, choices=TransferMode.choices)
    reserve_price = MoneyField(_("挂牌底价（元）"), validators=[MinValueValidator(Decimal("0.01"))])
    bid_increment = MoneyField(_("加价幅度（元）"), validators=[MinValueValidator(Decimal("0.01"))])
    deposit_amount = MoneyField(_("保证金（元）"), validators=[MinValueValidator(Decimal("0.01"))])
    window_days = models.PositiveSmallIntegerField(_("挂牌期（工作日）"), default=DEFAULT_WINDOW_DAYS,
                                                   validators=[MinValueValidator(1)])
    publicity_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=DEFAULT_PUBLICITY_DAYS,
                                                      validators=[MinValueValidator(1)])
    terms = models.TextField(_("交易条件"), blank=True)
    documents = PrivateFileField(_("挂牌材料"), upload_to="transfers/%Y/%m/", blank=True,
                                 validators=[validate_attachment])
    state = models.CharField(_("状态"), max_length=12, choices=ListingState.choices, default=ListingState.DRAFT,
                             db_index=True)
    state_reason = models.TextField(_("退回理由"), blank=True)
    listed_at = models.DateTimeField(_("挂牌时间"), null=True, blank=True)
    ends_at = models.DateTimeField(_("截止时间"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("实际截止时间"), null=True, blank=True)
    publicity_ends_at = models.DateTimeField(_("公示截止时间"), null=True, blank=True, db_index=True)
    # Kept on the row the bids lock, so a bid reads and writes the price under one lock.
    current_price = MoneyField(_("当前价（元）"), null=True, blank=True)
    bid_count = models.PositiveIntegerField(_("出价次数"), default=0)
    winner = models.ForeignKey("BidderRegistration", verbose_name=_("受让方"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    final_price = MoneyField(_("成交价（元）"), null=True, blank=True)
    negotiated = models.BooleanField(_("协议转让"), default=False,
                                     help_text=_("截止时仅一家竞买人登记，按挂牌底价协议转让"))
    deal = models.OneToOneField("deals.Deal", verbose_name=_("商机"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="transfer_listing")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("挂牌交易")
        verbose_name_plural = _("挂牌交易")
        constraints = [
            models.CheckConstraint(condition=models.Q(reserve_price__gt=0) & models.Q(bid_increment__gt=0)
                                   & models.Q(deposit_amount__gt=0), name="transfer_money_positive"),
        ]

    def __str__(self) -> str:
        return str(self.achievement.title if self.achievement_id else self.pk)

    def clean(self) -> None:
        errors = {}
        if self.deposit_amount and self.reserve_price and self.deposit_amount > self.reserve_price:
            errors["deposit_amount"] = _("保证金不能高于挂牌底价。")
        if self.bid_increment and self.reserve_price and self.bid_increment > self.reserve_price:
            errors["bid_increment"] = _("加价幅度不能高于挂牌底价。")
        if errors:
            raise ValidationError(errors)

    @property
    def open_for_bids(self) -> bool:
        return self.state in OPEN_FOR_BIDS

    @property
    def minimum_bid(self) -> Decimal:
        """A bid must beat the current price, or the reserve before any bid, by at least the increment."""
        return (self.current_price or self.reserve_price) + self.bid_increment


class ListingTransition(models.Model):
    listing = models.ForeignKey(TransferListing, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=12, choices=ListingState.choices)
    to_state = models.CharField(max_length=12, choices=ListingState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state} -> {self.to_state}"


class BidderRegistration(models.Model):
    """An enterprise registered to bid; it may bid once its deposit is held by Stripe."""

    listing = models.ForeignKey(TransferListing, on_delete=models.PROTECT, related_name="bidders")
    organization = models.ForeignKey("accounts.Organization", verbose_name=_("竞买企业"), on_delete=models.PROTECT,
                                     related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                             related_name="+")
    # The pseudonym shown in public (竞买人N): the order of registration within the listing.
    number = models.PositiveIntegerField(_("竞买号"))
    deposit_amount = MoneyField(_("保证金（元）"))
    deposit_state = models.CharField(_("保证金状态"), max_length=10, choices=DepositState.choices,
                                     default=DepositState.PENDING)
    stripe_session_id = models.CharField(max_length=255, blank=True)
    stripe_payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    checkout_url = models.URLField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    held_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "organization"], name="one_registration_per_bidder"),
            models.UniqueConstraint(fields=["listing", "number"], name="unique_bidder_number"),
        ]

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def pseudonym(self) -> str:
        return _("竞买人%(n)d") % {"n": self.number}

    @property
    def may_bid(self) -> bool:
        return self.deposit_state == DepositState.HELD


class Bid(models.Model):
    listing = models.ForeignKey(TransferListing, on_delete=models.PROTECT, related_name="bids")
    bidder = models.ForeignKey(BidderRegistration, on_delete=models.PROTECT, related_name="bids")
    sequence = models.PositiveIntegerField()
    amount = MoneyField(_("出价（元）"))
    placed_at = models.DateTimeField(default=timezone.now)
    ends_at_before = models.DateTimeField()
    ends_at_after = models.DateTimeField()

    class Meta:
        ordering = ["sequence"]
        constraints = [models.UniqueConstraint(fields=["listing", "sequence"], name="unique_bid_sequence")]

    def __str__(self) -> str:
        return f"{self.bidder} {self.amount}"

    @property
    def extended(self) -> bool:
        return self.ends_at_after != self.ends_at_before


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class Objection(models.Model):
    listing = models.ForeignKey(TransferListing, on_delete=models.CASCADE, related_name="objections")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("异议内容"), max_length=2000)
    status = models.CharField(_("处理结果"), max_length=10, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.OPEN)
    resolution = models.TextField(_("处理意见"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "pk"]

    def __str__(self) -> str:
        return self.text[:50]


class DepositEntry(models.Model):
    """Every movement of a deposit, append-only: held, released, captured, refunded."""

    class Kind(models.TextChoices):
        HOLD = "hold", _("冻结")
        RELEASE = "release", _("解冻退还")
        CAPTURE = "capture", _("扣划")
        REFUND = "refund", _("退款")

    bidder = models.ForeignKey(BidderRegistration, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount = MoneyField()
    currency = models.CharField(max_length=3, default="cny")
    stripe_object_id = models.CharField(max_length=255)
    stripe_event_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["bidder", "kind"], name="one_deposit_move_of_each_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"
