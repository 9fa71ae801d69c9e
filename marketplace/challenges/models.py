"""揭榜挂帅 (Challenge): an enterprise posts a key technical problem with a bounty; universities and
institutes apply; the enterprise selects one; bureau staff may then grant a 科创券 (innovation voucher)
subsidy.

The page (ChallengePage) holds what the enterprise publishes, through the moderation workflow. What
happens afterwards (award, subsidy, closing) lives in ChallengeOutcome and ChallengeApplication,
ordinary tables keyed by the page, so publishing a new page revision never rewinds it."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from accounts.models import ACADEMIC_KINDS
from marketplace.core.fields import MoneyField
from marketplace.core.page_context import context_for
from marketplace.listings.models import ListingPage

from .states import ApplicationStatus, ChallengeStatus

NON_NEGATIVE = [MinValueValidator(Decimal("0"), message=_("金额不能为负数。"))]


class ChallengeIndexPage(Page):
    intro = models.TextField(_("简介"), blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["challenges.ChallengePage"]
    max_count = 1
    template = "challenges/challenge_index_page.html"

    class Meta:
        verbose_name = _("揭榜挂帅列表")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(context_for(self, request))  # the challenges by status (challenges.page_context)
        return context


class ChallengePage(ListingPage):
    problem = models.TextField(_("难题描述"))
    goals = models.TextField(_("目标与考核指标"))
    bounty = MoneyField(_("榜单金额（元）"), validators=NON_NEGATIVE)
    application_deadline = models.DateField(_("揭榜截止日期"))

    content_panels = Page.content_panels + [
        FieldPanel("problem"), FieldPanel("goals"), FieldPanel("bounty"), FieldPanel("application_deadline"),
    ] + ListingPage.common_panels
    search_fields = ListingPage.search_fields + [index.SearchField("problem"), index.SearchField("goals")]
    parent_page_types = ["challenges.ChallengeIndexPage"]
    template = "challenges/challenge_page.html"

    class Meta:
        verbose_name = _("揭榜挂帅")
        verbose_name_plural = _("揭榜挂帅")

    def validate_listing(self) -> None:
        errors: dict[str, list] = {}
        deadline = self.application_deadline
        if deadline and deadline < timezone.localdate() and self._deadline_changed():
            errors.setdefault("application_deadline", []).append(
                _("揭榜截止日期不能早于今天。"))
        if deadline and self.expires_at and deadline > self.expires_at:
            errors.setdefault("application_deadline", []).append(
                _("揭榜截止日期不能晚于有效期。"))
        if errors:
            raise ValidationError(errors)

    def _deadline_changed(self) -> bool:
        """A deadline that has passed since publication is fine; entering a past one is not."""
        if not self.pk:
            return True
        live = type(self).objects.filter(pk=self.pk).values_list("application_deadline", flat=True).first()
        return live != self.application_deadline

    def accepts_applications_on(self, day) -> bool:
        """The deadline day itself is still open for applications."""
        return day <= self.application_deadline

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(context_for(self, request))  # the visitor's rights and forms (challenges.page_context)
        return context


class ChallengeOutcome(models.Model):
    """The run-time state of one challenge: open → awarded → subsidized, or closed without award."""

    challenge = models.OneToOneField(ChallengePage, verbose_name=_("揭榜挂帅"), on_delete=models.CASCADE,
                                     related_name="outcome")
    status = models.CharField(_("状态"), max_length=20, choices=ChallengeStatus.choices,
                              default=ChallengeStatus.OPEN, db_index=True)
    selected_application = models.OneToOneField(
        "challenges.ChallengeApplication", verbose_name=_("选定的揭榜方"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+")
    awarded_at = models.DateTimeField(_("选定时间"), null=True, blank=True)
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("选定人"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    subsidy_amount = MoneyField(_("科创券补助金额（元）"), null=True, blank=True,
                                validators=NON_NEGATIVE)
    subsidy_granted_on = models.DateField(_("补助发放日期"), null=True, blank=True,
                                          db_index=True)
    subsidy_granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发放人"),
                                           null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    close_reason = models.CharField(_("关闭原因"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("揭榜挂帅结果")

    def __str__(self) -> str:
        return f"{self.challenge_id}: {self.status}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        awarded = self.status in (ChallengeStatus.AWARDED, ChallengeStatus.SUBSIDIZED)
        if awarded and self.selected_application_id is None:
            errors.setdefault("selected_application", []).append(
                _("已选定的榜单须有揭榜方。"))
        if self.selected_application is not None and self.selected_application.challenge_id != self.challenge_id:
            errors.setdefault("selected_application", []).append(
                _("所选申请不属于该榜单。"))
        if self.status == ChallengeStatus.SUBSIDIZED:
            if self.subsidy_amount is None:
                errors.setdefault("subsidy_amount", []).append(
                    _("请填写补助金额。"))
            if self.subsidy_granted_on is None:
                errors.setdefault("subsidy_granted_on", []).append(
                    _("请填写发放日期。"))
        if self.subsidy_granted_on and self.subsidy_granted_on > timezone.localdate():
            errors.setdefault("subsidy_granted_on", []).append(
                _("发放日期不能晚于今天。"))
        if errors:
            raise ValidationError(errors)


class ChallengeApplication(models.Model):
    """A university's or institute's bid (揭榜) for a challenge. One per organization per challenge."""

    challenge = models.ForeignKey(ChallengePage, verbose_name=_("揭榜挂帅"), on_delete=models.CASCADE,
                                  related_name="applications")
    organization = models.ForeignKey("accounts.Organization", verbose_name=_("揭榜单位"),
                                     on_delete=models.PROTECT, related_name="challenge_applications")
    proposal = models.TextField(_("揭榜方案"))
    team_lead = models.CharField(_("团队负责人"), max_length=80)
    proposed_amount = MoneyField(_("申请经费（元）"), validators=NON_NEGATIVE)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"),
                                     on_delete=models.PROTECT, related_name="challenge_applications")
    status = models.CharField(_("状态"), max_length=20, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("评定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("揭榜申请")
        verbose_name_plural = _("揭榜申请")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "organization"], name="challenge_one_application_per_org",
                                    violation_error_message=_("该单位已揭榜此项目。")),
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.challenge_id}"

    def clean(self) -> None:
        if self.organization_id and self.organization.kind not in ACADEMIC_KINDS:
            raise ValidationError({"organization": _("只有高校或科研院所可以揭榜。")})
