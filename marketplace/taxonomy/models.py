import math

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet


def localized_name(term: "IndustryField | County") -> str:
    """The name readers of the active language read: the English name on the English site when there is one.
    Search and exports use .name (Chinese) explicitly, so they do not change with the reader's language."""
    if term.name_en and not (get_language() or "zh").startswith("zh"):
        return term.name_en
    return term.name


@register_snippet
class IndustryField(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("领域"), max_length=50, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    domain_terms = models.TextField(
        _("领域词"), blank=True,
        help_text=_("逗号分隔；分词时作为整词"))
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug"), FieldPanel("domain_terms"),
              FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("产业领域")
        verbose_name_plural = _("产业领域")

    def __str__(self) -> str:
        return localized_name(self)

    @property
    def terms(self) -> list[str]:
        return [t.strip() for t in self.domain_terms.split(",") if t.strip()]


@register_snippet
class County(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("县(市、区)"), max_length=50, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug"), FieldPanel("latitude"),
              FieldPanel("longitude"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("县(市、区)")
        verbose_name_plural = _("县(市、区)")

    def __str__(self) -> str:
        return localized_name(self)

    def distance_km(self, other: "County") -> float | None:
        """Great-circle distance between county centres; None when either has no coordinates."""
        if None in (self.latitude, self.longitude, other.latitude, other.longitude):
            return None
        lat1, lon1, lat2, lon2 = map(math.radians, (self.latitude, self.longitude, other.latitude, other.longitude))
        h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        return 2 * 6371 * math.asin(math.sqrt(h))
