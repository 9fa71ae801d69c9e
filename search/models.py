"""The search outbox: a durable note, written in the same transaction as the listing change, that the
search index must catch up with a page. Rows are drained after commit (search.services.process_outbox)
and by ``manage.py search_sync``; a row stays pending while the backend is unreachable."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchOutbox(models.Model):
    class Action(models.TextChoices):
        UPSERT = "upsert", _("更新索引")
        DELETE = "delete", _("移出索引")

    # No foreign key: the row must outlive a deleted page so the deletion reaches the index.
    page_id = models.PositiveBigIntegerField(_("页面"), db_index=True)
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    reason = models.CharField(_("原因"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    processed_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("搜索同步队列")
        verbose_name_plural = _("搜索同步队列")
        indexes = [models.Index(fields=["processed_at", "id"], name="search_outbox_pending")]

    def __str__(self) -> str:
        return f"{self.action} page {self.page_id} ({self.reason})"


class ThesaurusEntry(models.Model):
    """One line of the matching thesaurus: a word people use ↔ the terms it means, with a weight.

    Bureau staff edit these as snippets and import/export them as CSV (search/thesaurus.py); matching
    expands a listing's words with them at query time, so an edit takes effect without reindexing."""

    term = models.CharField(_("词语"), max_length=100, help_text=_("企业常说的词，或英文名称"))
    synonyms = models.TextField(_("对应术语"), help_text=_("用“|”或顿号分隔，如：轻量化|减轻重量"))
    weight = models.DecimalField(
        _("权重"), max_digits=3, decimal_places=2, default=Decimal("0.80"),
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("1.00"))],
        help_text=_("0.05–1.00；1.00 表示完全同义"),
    )
    field = models.ForeignKey(
        "taxonomy.IndustryField", verbose_name=_("领域"), null=True, blank=True, on_delete=models.SET_NULL,
        help_text=_("留空表示通用；限定领域时，其他领域的需求只按一半权重扩展"),
    )
    active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["field__sort_order", "term"]
        verbose_name = _("匹配词表条目")
        verbose_name_plural = _("匹配词表")

    def __str__(self) -> str:
        return f"{self.term} ≈ {self.synonyms}"

    def synonym_list(self) -> list[str]:
        return split_synonyms(self.synonyms)

    def clean(self) -> None:
        self.term = self.term.strip()
        if not self.synonym_list():
            raise ValidationError({"synonyms": _("至少填写一个对应术语。")})
        if self.term.lower() in {s.lower() for s in self.synonym_list()}:
            raise ValidationError({"synonyms": _("对应术语不能与词语本身相同。")})
        same = ThesaurusEntry.objects.filter(term__iexact=self.term, field=self.field).exclude(pk=self.pk)
        if same.exists():
            raise ValidationError({"term": _("该领域已有这个词语，请直接编辑那一条。")})


def split_synonyms(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[|、,，;；\n]+", text or "") if p.strip()]


class MatchFeedback(models.Model):
    """What happened to a demand ↔ result pair the matcher proposed: the listing's owner marked it
    不相关 (not relevant) or 已联系 (contacted), or an agent opened a deal from it. The ranking reads it
    (search.feedback) and match_eval reports it."""

    class Verdict(models.TextChoices):
        IRRELEVANT = "irrelevant", _("不相关")
        CONTACTED = "contacted", _("已联系")
        DEAL = "deal", _("已发起商机")

    # Page ids, no foreign keys: a record outlives an unpublished or deleted listing (the index does too).
    demand_id = models.PositiveBigIntegerField(_("技术需求"), db_index=True)
    result_id = models.PositiveBigIntegerField(_("匹配对象"), db_index=True)
    verdict = models.CharField(_("结果"), max_length=12, choices=Verdict.choices)
    user = models.ForeignKey(
        "accounts.User", verbose_name=_("标记人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("匹配反馈")
        verbose_name_plural = _("匹配反馈")
        constraints = [
            models.UniqueConstraint(fields=["demand_id", "result_id", "verdict"], name="match_feedback_once"),
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} ↔ {self.result_id}: {self.verdict}"
