"""A broker's deal (商机): the parties, where it came from (match, demand or by hand), its stage in the
pipeline (stages.py) and every move it made (DealTransition)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ACADEMIC_KINDS, OrganizationKind, PlatformRole
from marketplace.core.fields import MoneyField

from .stages import OPEN_STAGES, TERMINAL_STAGES, Stage


class DealOrigin(models.TextChoices):
    MATCH = "match", _("匹配结果")
    DEMAND = "demand", _("技术需求")
    MANUAL = "manual", _("手工录入")


class Deal(models.Model):
    title = models.CharField(_("商机名称"), max_length=200)
    origin = models.CharField(
        _("来源"), max_length=10, choices=DealOrigin.choices, default=DealOrigin.MANUAL
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("技术经纪人"),
        on_delete=models.PROTECT,
        related_name="deals",
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("协作经纪人"),
        blank=True,
        related_name="shared_deals",
    )
    enterprise = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="deals_as_enterprise",
    )
    academic = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("高校院所"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deals_as_academic",
    )
    # The inquiry conversation (洽谈) the deal grew out of, when it did; shown to the deal's parties.
    conversation = models.ForeignKey("inquiries.Conversation", verbose_name=_("来源洽谈"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="deals")
    pilot_base = models.ForeignKey(
        "listings.PilotBasePage",
        verbose_name=_("中试基地"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deals",
    )
    demand = models.ForeignKey(
        "listings.DemandPage",
        verbose_name=_("技术需求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deals",
    )
    achievement = models.ForeignKey(
        "listings.AchievementPage",
        verbose_name=_("科技成果"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deals",
    )
    # What the match engine said when the deal was opened from a match; kept because rankings change.
    match_score = models.FloatField(_("匹配得分"), null=True, blank=True)
    match_reasons = models.JSONField(_("匹配理由"), default=list, blank=True)
    match_shared_terms = models.JSONField(_("共同关键词"), default=list, blank=True)
    stage = models.CharField(
        _("阶段"), max_length=30, choices=Stage.choices, default=Stage.LEAD, db_index=True
    )
    # Optimistic lock: every move increments it; a move made against an old version is refused.
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)
    lost_reason = models.TextField(_("流失原因"), blank=True)
    commission = MoneyField(
        _("佣金（元）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    notes = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("商机")
        verbose_name_plural = _("商机")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(commission__isnull=True) | models.Q(commission__gte=0),
                name="deal_commission_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.agent_id and self.agent.role != PlatformRole.AGENT and not self.agent.is_superuser:
            errors["agent"] = _("负责人必须是技术经纪人。")
        if self.enterprise_id and self.enterprise.kind != OrganizationKind.ENTERPRISE:
            errors["enterprise"] = _("“%(org)s”不是企业。") % {
                "org": self.enterprise
            }
        if self.academic_id and self.academic.kind not in ACADEMIC_KINDS:
            errors["academic"] = _("“%(org)s”不是高校或科研院所。") % {
                "org": self.academic
            }
        if self.stage == Stage.LOST and not self.lost_reason.strip():
            errors["lost_reason"] = _("请填写流失原因。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def is_finished(self) -> bool:
        return self.stage in TERMINAL_STAGES

    @property
    def has_only_demand(self) -> bool:
        """A deal waiting for the right result: the workbench suggests matches for these."""
        return self.demand_id is not None and self.achievement_id is None and self.is_open

    @property
    def parties(self) -> list:
        operator = self.pilot_base.organization if self.pilot_base_id else None
        return [org for org in (self.enterprise, self.academic, operator) if org is not None]


class DealTransition(models.Model):
    """One move of one deal: who, when, from where to where, and why."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(_("原阶段"), max_length=30, choices=Stage.choices)
    to_stage = models.CharField(_("新阶段"), max_length=30, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="deal_transitions",
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("商机阶段变更")
        verbose_name_plural = _("商机阶段变更")

    def __str__(self) -> str:
        return f"{self.deal}: {self.from_stage} → {self.to_stage}"
