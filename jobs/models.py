"""Background work the site keeps a record of: a Job is one piece of long work a person started and watches
(its status and progress are polled by the page that started it); a TaskFailure is one failed attempt of
any background task, kept for bureau staff (Wagtail admin, 任务失败记录)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=60)
    subject = models.CharField(_("对象"), max_length=80, blank=True)  # e.g. "event:12": what the job works on
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)  # percent
    stage = models.CharField(_("阶段"), max_length=120, blank=True)
    message = models.TextField(_("结果说明"), blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("后台作业")
        verbose_name_plural = _("后台作业")
        indexes = [models.Index(fields=["kind", "subject", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class TaskFailure(models.Model):
    task_name = models.CharField(_("任务"), max_length=200)
    task_id = models.CharField(_("任务编号"), max_length=64)
    attempt = models.PositiveSmallIntegerField(_("第几次尝试"), default=1)
    final = models.BooleanField(_("已放弃重试"), default=False)
    arguments = models.TextField(_("参数"), blank=True)
    error = models.TextField(_("错误"))
    traceback = models.TextField(_("调用栈"), blank=True)
    failed_at = models.DateTimeField(_("失败时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("任务失败记录")
        verbose_name_plural = _("任务失败记录")
        ordering = ["-failed_at"]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.attempt}: {self.error[:60]}"


class SentNotice(models.Model):
    """A reminder that has gone out, by a key naming what and to whom (e.g. "event-reminder:12"). The unique
    key is what makes a periodic reminder go out exactly once however often beat runs or retries the task."""

    key = models.CharField(_("提醒标识"), max_length=200, unique=True)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已发送提醒")
        verbose_name_plural = _("已发送提醒")

    def __str__(self) -> str:
        return self.key
