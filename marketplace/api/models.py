"""API keys of organizations (partner platforms call /api/v1/ with one).

Only a hash of the secret is stored: the whole key is shown once, when it is made. The prefix (not secret)
finds the row; the hash is then compared in constant time. Revocation is a timestamp, read on every request
(valid keys are never cached), so it takes effect at once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ = "read", _("读取")
    WRITE_LISTINGS = "write_listings", _("发布和修改本机构的信息")
    EVENTS = "events", _("报名活动")


class ApiKey(models.Model):
    organization = models.ForeignKey("accounts.Organization", verbose_name=_("机构"), on_delete=models.CASCADE,
                                     related_name="api_keys")
    name = models.CharField(_("名称"), max_length=80, help_text=_("用途，例如“省技术市场同步”"))
    prefix = models.CharField(_("前缀"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("权限范围"), default=list)
    rate_limit = models.PositiveIntegerField(_("每分钟请求上限"), default=120)
    # Writes act in the name of the admin who made the key (revisions and registrations record a person).
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("吊销人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("接口密钥")
        verbose_name_plural = _("接口密钥")

    def __str__(self) -> str:
        return f"{self.organization} · {self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [str(labels.get(s, s)) for s in self.scopes]
