"""The search outbox: a durable note, written in the same transaction as the listing change, that the
search index must catch up with a page. Rows are drained after commit (search.services.process_outbox)
and by ``manage.py search_sync``; a row stays pending while the backend is unreachable."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchOutbox(models.Model):
    class Action(models.TextChoices):
        UPSERT = "upsert", _("更新索引 Update index")
        DELETE = "delete", _("移出索引 Remove from index")

    # No foreign key: the row must outlive a deleted page so the deletion reaches the index.
    page_id = models.PositiveBigIntegerField(_("页面 page id"), db_index=True)
    action = models.CharField(_("操作 action"), max_length=10, choices=Action.choices)
    reason = models.CharField(_("原因 reason"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("创建时间 created"), default=timezone.now, db_index=True)
    attempts = models.PositiveIntegerField(_("尝试次数 attempts"), default=0)
    last_error = models.TextField(_("最近错误 last error"), blank=True)
    processed_at = models.DateTimeField(_("处理时间 processed"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("搜索同步队列 search outbox row")
        verbose_name_plural = _("搜索同步队列 search outbox")
        indexes = [models.Index(fields=["processed_at", "id"], name="search_outbox_pending")]

    def __str__(self) -> str:
        return f"{self.action} page {self.page_id} ({self.reason})"
