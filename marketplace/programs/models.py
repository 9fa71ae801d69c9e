"""Enterprise S&T commissioners (企业科技特派员) with their monthly service logs, and the bureau's
reserve projects (储备项目) and major key-technology results (重大关键技术成果). Each counts toward the
year's target when bureau staff approve it (approved_on, a local date, gives the year and month)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ACADEMIC_KINDS, OrganizationKind
from accounts.private_files import PrivateFileField
from marketplace.listings.validators import validate_attachment

from .states import AssignmentStatus, RecordStatus


class CommissionerAssignment(models.Model):
    commissioner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("特派员"), on_delete=models.PROTECT,
                                     related_name="commissioner_assignments")
    institution = models.ForeignKey("accounts.Organization", verbose_name=_("派出高校或科研院所"),
                                    on_delete=models.PROTECT, related_name="commissioners_sent")
    enterprise = models.ForeignKey("accounts.Organization", verbose_name=_("服务企业"), on_delete=models.PROTECT,
                                   related_name="commissioners_received")
    field = models.ForeignKey("taxonomy.IndustryField", verbose_name=_("产业领域"), on_delete=models.PROTECT,
                              related_name="+")
    county = models.ForeignKey("taxonomy.County", verbose_name=_("县(市、区)"), on_delete=models.PROTECT,
                               related_name="+")
    term_start = models.DateField(_("服务期开始"))
    term_end = models.DateField(_("服务期结束"))
    tasks = models.TextField(_("服务内容"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=AssignmentStatus.choices,
                              default=AssignmentStatus.PROPOSED)
    enterprise_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                                on_delete=models.SET_NULL, related_name="+")
    enterprise_confirmed_at = models.DateTimeField(null=True, blank=True)
    institution_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                                 on_delete=models.SET_NULL, related_name="+")
    institution_confirmed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    approved_on = models.DateField(_("认定日期"), null=True, blank=True, db_index=True)
    decision_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("企业科技特派员")
        verbose_name_plural = _("企业科技特派员")

    def __str__(self) -> str:
        return f"{self.commissioner} → {self.enterprise}"

    @property
    def commissioner_name(self) -> str:
        """The name the profile shows; never the login e-mail, which the profile page would make public."""
        return self.commissioner.display_name or str(_("（姓名未填写）"))

    def clean(self) -> None:
        errors = {}
        if self.institution_id and self.institution.kind not in ACADEMIC_KINDS:
            errors["institution"] = _("派出单位须为高校或科研院所。")
        if self.enterprise_id and self.enterprise.kind != OrganizationKind.ENTERPRISE:
            errors["enterprise"] = _("服务对象须为企业。")
        if (self.commissioner_id and self.institution_id
                and not self.institution.memberships.filter(user_id=self.commissioner_id).exists()):
            errors["commissioner"] = _("特派员须为派出单位的成员。")
        if self.term_start and self.term_end and self.term_end < self.term_start:
            errors["term_end"] = _("服务期结束日期不能早于开始日期。")
        elif self.commissioner_id and self.enterprise_id and self.term_start and self.term_end and (
            CommissionerAssignment.objects.exclude(pk=self.pk).exclude(status=AssignmentStatus.REJECTED)
            .filter(commissioner_id=self.commissioner_id, enterprise_id=self.enterprise_id,
                    term_start__lte=self.term_end, term_end__gte=self.term_start).exists()
        ):
            # The same person sent to the same enterprise twice would count twice toward the target.
            errors["term_start"] = _("该特派员在此服务期内已派驻该企业。")
        if errors:
            raise ValidationError(errors)


class ServiceLog(models.Model):
    """One month of a commissioner's service at the enterprise, written by the commissioner."""

    assignment = models.ForeignKey(CommissionerAssignment, on_delete=models.CASCADE, related_name="logs")
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    visits = models.PositiveSmallIntegerField(_("入企服务次数"))
    problems_solved = models.PositiveSmallIntegerField(_("解决技术问题数"))
    summary = models.TextField(_("服务情况"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["assignment", "month"], name="one_log_per_month")]
        verbose_name = _("特派员服务月志")
        verbose_name_plural = _("特派员服务月志")

    def __str__(self) -> str:
        return f"{self.assignment} {self.month:%Y-%m}"

    def clean(self) -> None:
        if self.month and self.month.day != 1:
            self.month = self.month.replace(day=1)
        term = self.assignment if self.assignment_id else None
        if term and self.month and not (term.term_start.replace(day=1) <= self.month <= term.term_end):
            raise ValidationError({"month": _("该月份不在服务期内。")})


class RecordKind(models.TextChoices):
    RESERVE = "reserve", _("储备项目")
    KEY_RESULT = "key_result", _("重大关键技术成果")


class RecordStage(models.TextChoices):
    RESEARCH = "research", _("研发")
    PILOT = "pilot", _("中试")
    INDUSTRIALIZING = "industrializing", _("产业化")
    APPLIED = "applied", _("推广应用")


class ProjectRecord(models.Model):
    """A reserve project or a major key-technology result; its source links are optional."""

    kind = models.CharField(_("类别"), max_length=20, choices=RecordKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    summary = models.TextField(_("简介"), blank=True)
    owner = models.ForeignKey("accounts.Organization", verbose_name=_("承担单位"), on_delete=models.PROTECT,
                              related_name="program_records")
    field = models.ForeignKey("taxonomy.IndustryField", verbose_name=_("产业领域"), on_delete=models.PROTECT,
                              related_name="+")
    county = models.ForeignKey("taxonomy.County", verbose_name=_("县(市、区)"), on_delete=models.PROTECT,
                               related_name="+")
    stage = models.CharField(_("阶段"), max_length=20, choices=RecordStage.choices)
    # Where the record came from. String references: this app sits beside deals and challenges and
    # never imports them.
    source_demand = models.ForeignKey("listings.DemandPage", verbose_name=_("来源需求"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    source_challenge = models.ForeignKey("challenges.ChallengePage", verbose_name=_("来源揭榜挂帅项目"), null=True,
                                         blank=True, on_delete=models.SET_NULL, related_name="+")
    source_deal = models.ForeignKey("deals.Deal", verbose_name=_("来源商机"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("状态"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    approved_on = models.DateField(_("认定日期"), null=True, blank=True, db_index=True)
    decision_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("储备项目与重大关键技术成果")
        verbose_name_plural = _("储备项目与重大关键技术成果")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.status == RecordStatus.APPROVED and not self.approved_on:
            errors["approved_on"] = _("已认定的记录须有认定日期。")
        if errors:
            raise ValidationError(errors)


class EvaluationLevel(models.IntegerChoices):
    """科技成果评价 levels, best first: the number is the rank (lower is better), used to sort."""

    INTERNATIONAL_LEADING = 1, _("国际领先")
    INTERNATIONAL_ADVANCED = 2, _("国际先进")
    NATIONAL_LEADING = 3, _("国内领先")
    NATIONAL_ADVANCED = 4, _("国内先进")


class EvaluationReport(models.Model):
    """A third-party evaluation of a listed result, entered by bureau staff. The level is public (a badge,
    a filter, a sort); the report file is the bureau's only."""

    achievement = models.ForeignKey("listings.AchievementPage", verbose_name=_("科技成果"), on_delete=models.CASCADE,
                                    related_name="evaluations")
    evaluator = models.CharField(_("评价机构"), max_length=200)
    evaluated_on = models.DateField(_("评价日期"))
    level = models.PositiveSmallIntegerField(_("评价等级"), choices=EvaluationLevel.choices)
    report_number = models.CharField(_("报告编号"), max_length=100, blank=True)
    report = PrivateFileField(_("评价报告"), upload_to="evaluations/%Y/%m/", blank=True,
                              validators=[validate_attachment])
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["level", "-evaluated_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["achievement", "evaluator", "evaluated_on"],
                                               name="one_evaluation_per_evaluator_and_day",
                                               violation_error_message=_("该机构在同一日期对该成果的评价已登记。"))]
        verbose_name = _("科技成果评价")
        verbose_name_plural = _("科技成果评价")

    def __str__(self) -> str:
        return f"{self.achievement} · {self.get_level_display()}"

    def clean(self) -> None:
        if self.evaluated_on and self.evaluated_on > timezone.localdate():
            raise ValidationError({"evaluated_on": _("评价日期不能晚于今天。")})
