"""Match alerts: a person is told once about each newly published listing that matches one of their
organization's own (a result for an enterprise's demand, a demand for a university's result)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .frequencies import DEFAULT_FREQUENCY, Frequency, MailState


class AlertSettings(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_settings")
    frequency = models.CharField(_("匹配提醒邮件"), max_length=10, choices=Frequency.choices,
                                 default=DEFAULT_FREQUENCY)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("提醒设置")
        verbose_name_plural = _("提醒设置")

    def __str__(self) -> str:
        return f"{self.user}: {self.frequency}"


class AlertDigest(models.Model):
    """One digest e-mail: at most one per person per period (the unique constraint is the guarantee)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_digests")
    period = models.CharField(max_length=12)  # see frequencies.digest_period
    sent_at = models.DateTimeField(default=timezone.now)
    alert_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("提醒汇总邮件")
        verbose_name_plural = _("提醒汇总邮件")
        constraints = [models.UniqueConstraint(fields=["user", "period"], name="alerts_one_digest_per_period")]

    def __str__(self) -> str:
        return f"{self.user} {self.period}"


class Alert(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_alerts")
    listing = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("新发布"))
    matched = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("匹配的本机构发布"))
    score = models.FloatField(_("匹配度"))
    reasons = models.JSONField(_("匹配理由"), default=list)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    mail_state = models.CharField(max_length=10, choices=MailState.choices, default=MailState.PENDING)
    mailed_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(AlertDigest, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts")

    class Meta:
        verbose_name = _("匹配提醒")
        verbose_name_plural = _("匹配提醒")
        ordering = ["-created_at", "-pk"]
        # Exactly once per (subscriber, new listing): re-publishing, a retried task or two tasks at once
        # insert with ON CONFLICT DO NOTHING against this.
        constraints = [models.UniqueConstraint(fields=["user", "listing"], name="alerts_once_per_user_listing")]
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["mail_state", "user"])]

    def __str__(self) -> str:
        return f"{self.user} ← {self.listing_id}"
