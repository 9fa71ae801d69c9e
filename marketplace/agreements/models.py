"""产学研合作协议 (Agreement): the signed industry-university-research agreements the city counts, and
the yearly Targets they are measured against. Targets hold only the goal; the actual numbers are
computed from data in metrics.py."""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from accounts.models import ACADEMIC_KINDS, OrganizationKind
from accounts.private_files import get_private_storage
from marketplace.core.fields import MoneyField

from .states import Status

# 技术合同登记编号 as this platform accepts it: 16 digits = the registration year (4), the administrative
# division code of the registering office (6, e.g. 371600 Binzhou), and the office's serial number (6).
# Spaces and hyphens are dropped before the check. Documented in docs/agreements.md.
REGISTRATION_NUMBER_RE = re.compile(r"^(?P<year>\d{4})(?P<division>[1-8]\d{5})(?P<serial>\d{6})$")


def normalize_registration_number(value: str | None) -> str | None:
    return re.sub(r"[\s-]", "", value or "") or None


def registration_number_error(value: str) -> str | None:
    """Why `value` is not a registration number we accept, or None."""
    match = REGISTRATION_NUMBER_RE.match(value)
    if match is None:
        return str(_("技术合同登记编号应为16位数字：登记年份4位+登记机构行政区划代码6位+流水号6位。"))
    if not 2000 <= int(match["year"]) <= timezone.localdate().year:
        return str(_("技术合同登记编号中的年份无效。"))
    return None


def private_storage():
    """Contract scans live in the shared private storage: outside MEDIA_ROOT, no URL, served only by the
    permission-checking view."""
    return get_private_storage()


def scan_path(instance, filename: str) -> str:
    # Only the folder counts: the private storage names the file from its bytes (random name, detected type).
    return f"agreements/{filename}"


class DuplicateState(models.TextChoices):
    NONE = "", _("无")
    FLAGGED = "flagged", _("疑似重复，待处理")
    KEPT = "kept", _("已核实非重复")
    MERGED = "merged", _("已合并")


class AgreementType(models.TextChoices):
    DEVELOPMENT = "development", _("技术开发")
    TRANSFER = "transfer", _("技术转让")
    LICENSE = "license", _("技术许可")
    CONSULTING = "consulting", _("技术咨询")
    SERVICE = "service", _("技术服务")
    COOPERATION = "cooperation", _("合作协议")


class AgreementSource(models.TextChoices):
    DEAL = "deal", _("经纪商机")
    DIRECT = "direct", _("直接录入")
    IMPORT = "import", _("批量导入")


class PartySide(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业方")
    ACADEMIC = "academic", _("高校院所方")
    OTHER = "other", _("其他参与方")


class Agreement(models.Model):
    title = models.CharField(_("协议名称"), max_length=200)
    agreement_type = models.CharField(_("协议类型"), max_length=20, choices=AgreementType.choices)
    amount = MoneyField(
        _("合同金额（元）"),
        validators=[MinValueValidator(Decimal("0"))],
        error_messages={"min_value": _("金额不能为负数。")},
    )
    signed_on = models.DateField(_("签订日期"), db_index=True)
    county = models.ForeignKey(
        "taxonomy.County",
        verbose_name=_("县(市、区)"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    field = models.ForeignKey(
        "taxonomy.IndustryField",
        verbose_name=_("产业领域"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    parties = models.ManyToManyField(
        "accounts.Organization",
        through="AgreementParty",
        verbose_name=_("签约方"),
        related_name="agreements",
    )
    deal = models.OneToOneField(
        "deals.Deal",
        verbose_name=_("来源商机"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreement",
    )
    event = models.ForeignKey(
        "events.EventPage",
        verbose_name=_("签约活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
    )
    # Technology-contract registration (技术合同登记): both or neither; the number is unique when present.
    registration_number = models.CharField(
        _("技术合同登记号"),
        max_length=60,
        null=True,
        blank=True,
        unique=True,
        error_messages={"unique": _("该技术合同登记号已被使用。")},
    )
    registered_amount = MoneyField(
        _("登记金额（元）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        error_messages={"min_value": _("登记金额不能为负数。")},
    )
    source = models.CharField(
        _("来源"), max_length=10, choices=AgreementSource.choices, default=AgreementSource.DIRECT
    )
    registration_office = models.CharField(_("登记机构"), max_length=100, blank=True)
    status = models.CharField(_("认定状态"), max_length=24, choices=Status.choices, default=Status.RECORDED,
                              db_index=True)
    status_reason = models.TextField(_("退回或不予认定的理由"), blank=True)
    contract_scan = models.FileField(_("合同扫描件"), storage=private_storage, upload_to=scan_path, blank=True)
    # The one-time token of the form that created it: a resubmitted form finds its agreement again.
    form_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    duplicate_of = models.ForeignKey("self", verbose_name=_("疑似重复于"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    duplicate_state = models.CharField(_("重复核查"), max_length=10, choices=DuplicateState.choices,
                                       default=DuplicateState.NONE, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("产学研合作协议")
        verbose_name_plural = _("产学研合作协议")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="agreement_amount_not_negative"),
            models.CheckConstraint(
                condition=models.Q(registered_amount__isnull=True) | models.Q(registered_amount__gte=0),
                name="agreement_registered_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        self.registration_number = normalize_registration_number(self.registration_number)
        errors: dict[str, list] = {}
        if self.registration_number and (why := registration_number_error(self.registration_number)):
            errors["registration_number"] = [why]
        if self.signed_on and self.signed_on > timezone.localdate():
            errors["signed_on"] = [_("签订日期不能晚于今天。")]
        if self.registration_number and self.registered_amount is None:
            errors["registered_amount"] = [_("已登记的合同请填写登记金额。")]
        if self.registered_amount is not None and not self.registration_number:
            errors["registration_number"] = [
                _("填写登记金额时请同时填写登记号。")
            ]
        if errors:
            raise ValidationError(errors)

    @property
    def counts(self) -> bool:
        """Only verified agreements without an open duplicate flag count toward targets."""
        return self.status == Status.VERIFIED and self.duplicate_state != DuplicateState.FLAGGED

    @property
    def is_registered(self) -> bool:
        return bool(self.registration_number)

    def parties_on(self, side: str) -> list:
        return [p.organization for p in self.party_links.all() if p.side == side]

    @property
    def enterprises(self) -> list:
        return self.parties_on(PartySide.ENTERPRISE)

    @property
    def academics(self) -> list:
        return self.parties_on(PartySide.ACADEMIC)

    @property
    def others(self) -> list:
        return self.parties_on(PartySide.OTHER)


class AgreementParty(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="party_links")
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="agreement_links",
    )
    side = models.CharField(_("签约身份"), max_length=12, choices=PartySide.choices)

    class Meta:
        unique_together = [("agreement", "organization")]
        verbose_name = _("签约方")
        verbose_name_plural = _("签约方")

    def __str__(self) -> str:
        return f"{self.organization} ({self.side})"

    def clean(self) -> None:
        kind = self.organization.kind if self.organization_id else None
        if self.side == PartySide.ENTERPRISE and kind != OrganizationKind.ENTERPRISE:
            raise ValidationError(
                {"organization": _("“%(org)s”不是企业。") % {"org": self.organization}}
            )
        if self.side == PartySide.ACADEMIC and kind not in ACADEMIC_KINDS:
            raise ValidationError(
                {
                    "organization": _("“%(org)s”不是高校或科研院所。")
                    % {"org": self.organization}
                }
            )


class Confirmation(models.Model):
    """One side's confirmation that the recorded terms are what it signed: by a member of that side's
    organization in its own account, or by bureau staff on its behalf (paper contracts) with a note."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="confirmations")
    side = models.CharField(_("确认方"), max_length=12, choices=PartySide.choices)
    organization = models.ForeignKey("accounts.Organization", verbose_name=_("确认机构"),
                                     on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"), on_delete=models.PROTECT,
                                     related_name="+")
    on_behalf = models.BooleanField(_("科技局代为确认"), default=False)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agreement", "side"], name="one_confirmation_per_side")]
        verbose_name = _("签约方确认")
        verbose_name_plural = _("签约方确认")

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.side} {self.organization_id}"

    def clean(self) -> None:
        if self.on_behalf and not self.note.strip():
            raise ValidationError({"note": _("代为确认时请说明依据（如纸质合同原件）。")})


class ChangeKind(models.TextChoices):
    CREATED = "created", _("录入")
    FIELD = "field", _("修改")
    STATUS = "status", _("状态变更")
    CONFIRMED = "confirmed", _("签约方确认")
    EVIDENCE = "evidence", _("上传证明材料")
    DUPLICATE = "duplicate", _("重复核查")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The agreement audit trail is append-only.")

    def delete(self):
        raise TypeError("The agreement audit trail is append-only.")


class AgreementChange(models.Model):
    """The audit trail: one row per change to an agreement, never updated or deleted."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    kind = models.CharField(_("类别"), max_length=10, choices=ChangeKind.choices)
    field_name = models.CharField(_("字段"), max_length=40, blank=True)
    old_value = models.TextField(_("原值"), blank=True)
    new_value = models.TextField(_("新值"), blank=True)
    note = models.TextField(_("说明"), blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("协议变更记录")
        verbose_name_plural = _("协议变更记录")

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.kind} {self.field_name}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The agreement audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The agreement audit trail is append-only.")

    # What the bureau reads on the agreement page: field labels and state names, not code identifiers.
    def field_label(self) -> str:
        if self.field_name == "status":
            return str(_("状态"))
        try:
            return str(Agreement._meta.get_field(self.field_name).verbose_name)
        except FieldDoesNotExist:
            return self.field_name

    def _shown(self, value: str) -> str:
        if self.field_name == "status":
            return str(dict(Status.choices).get(value, value))
        if self.field_name == "contract_scan" and value:
            return str(_("文件 %(name)s")) % {"name": value.rsplit("/", 1)[-1][:8]}
        return value

    def old_shown(self) -> str:
        return self._shown(self.old_value)

    def new_shown(self) -> str:
        return self._shown(self.new_value)


class TargetMetric(models.TextChoices):
    """The seed's yearly targets. Each code has a function in metrics.METRICS that computes it."""

    AGREEMENTS_SIGNED = "agreements_signed", _("签署产学研合作协议")
    HIGH_END_EVENTS = "high_end_events", _("高端对接活动")
    UNIVERSITIES_ENGAGED = "universities_engaged", _("参与对接的高校院所")
    CHALLENGE_SUBSIDIES = "challenge_subsidies", _("揭榜挂帅项目获补助")
    SERVICE_ACTIVITIES = "service_activities", _("科技助农惠民服务活动")
    ENTERPRISE_COMMISSIONERS = (
        "enterprise_commissioners",
        _("新选派企业科技特派员"),
    )
    RESERVE_PROJECTS = "reserve_projects", _("新增储备项目")
    KEY_RESULTS = "key_results", _("重大关键技术成果")


class Target(models.Model):
    metric = models.CharField(_("指标"), max_length=40, choices=TargetMetric.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    target = models.PositiveIntegerField(_("目标值"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    panels = [FieldPanel("metric"), FieldPanel("year"), FieldPanel("target"), FieldPanel("note")]

    class Meta:
        ordering = ["-year", "metric"]
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "year"],
                name="one_target_per_metric_year",
                violation_error_message=_(
                    "该指标在该年度已有目标。"
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_metric_display()}: {self.target}"
