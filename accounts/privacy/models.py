"""The contact-reveal log: who saw whose contact, on which listing, when. Append-only."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class ContactReveal(models.Model):
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("查看人"), on_delete=models.PROTECT,
                               related_name="contact_reveals")
    # The listing is kept by id even if the page is later deleted: the log must outlive what it is about.
    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("信息"), on_delete=models.DO_NOTHING,
                             db_constraint=False, related_name="+")
    page_title = models.CharField(_("信息标题"), max_length=255)
    organization = models.ForeignKey("accounts.Organization", verbose_name=_("发布机构"), on_delete=models.PROTECT,
                                     related_name="+")
    contact_owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="contact_reveals_about")
    contact_name = models.CharField(_("联系人"), max_length=80, blank=True)
    revealed_at = models.DateTimeField(_("查看时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("联系方式查看记录")
        verbose_name_plural = _("联系方式查看记录")
        ordering = ["-revealed_at", "-pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.viewer} → {self.page_title} ({self.revealed_at:%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("ContactReveal rows are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("ContactReveal rows are never deleted.")
