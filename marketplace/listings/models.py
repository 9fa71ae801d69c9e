"""科技成果 (AchievementPage), 技术需求 (DemandPage) and 中试基地 (PilotBasePage) as Wagtail pages.

Owners never use the Wagtail admin: they create and edit through front-end forms, and every change
goes through the moderation workflow (see services.py). Bureau staff approve in the admin."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from accounts.private_files import PrivateFileField
from marketplace.core.fields import MoneyField
from marketplace.core.page_context import context_for
from marketplace.core.pages import TREE_FIELDS

from .choices import TRL_CHOICES, IPType, MaturityStage, mode_labels, stage_for_trl
from .validators import validate_attachment, validate_transfer_modes


class ListingPage(Page):
    """Fields every listing shares. Abstract: each listing type is its own table."""

    organization = models.ForeignKey("accounts.Organization", verbose_name=_("发布机构"),
                                     on_delete=models.PROTECT, related_name="+")
    field = models.ForeignKey("taxonomy.IndustryField", verbose_name=_("领域"), on_delete=models.PROTECT,
                              related_name="+")
    county = models.ForeignKey("taxonomy.County", verbose_name=_("县(市、区)"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    keywords = models.CharField(_("关键词"), max_length=200, blank=True,
                                help_text=_("用逗号或空格分隔"))
    contact_name = models.CharField(_("联系人"), max_length=80, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    # Private: stored under a random name outside MEDIA_ROOT, downloaded only through listings:attachment.
    attachment = PrivateFileField(_("附件"), upload_to="listings/%Y/%m/", blank=True,
                                  validators=[validate_attachment])
    expires_at = models.DateField(_("有效期至"), null=True, blank=True)
    external_id = models.CharField(_("外部编号"), max_length=100, blank=True, db_index=True)

    common_panels = [
        FieldPanel("organization"),
        FieldPanel("field"),
        FieldPanel("county"),
        FieldPanel("keywords"),
        MultiFieldPanel([FieldPanel("contact_name"), FieldPanel("contact_phone"), FieldPanel("contact_email")],
                        heading=_("联系方式")),
        FieldPanel("attachment"),
        FieldPanel("expires_at"),
    ]
    search_fields = Page.search_fields + [index.SearchField("keywords")]
    parent_page_types: list[str] = []
    subpage_types: list[str] = []

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        self.validate_listing()

    def validate_listing(self) -> None:
        """Business rules of the listing itself (not of its place in the page tree)."""

    def validate_before_submit(self) -> None:
        self.clean_fields(exclude=TREE_FIELDS)
        self.validate_listing()

    @property
    def keyword_list(self) -> list[str]:
        return [k for k in self.keywords.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if k]

    @property
    def is_expired(self) -> bool:
        return bool(self.expires_at and self.expires_at < timezone.localdate())


class AchievementPage(ListingPage):
    summary = models.TextField(_("成果简介"))
    detail = models.TextField(_("详细介绍"), blank=True)
    trl = models.PositiveSmallIntegerField(_("技术成熟度 TRL"), choices=TRL_CHOICES,
                                           validators=[MinValueValidator(1), MaxValueValidator(9)])
    transfer_modes = models.JSONField(_("转化方式"), default=list,
                                      validators=[validate_transfer_modes])
    price = MoneyField(_("价格（元）"), null=True, blank=True,
                       validators=[MinValueValidator(Decimal("0"))])
    price_negotiable = models.BooleanField(_("面议"), default=False)

    content_panels = Page.content_panels + [
        FieldPanel("summary"), FieldPanel("detail"), FieldPanel("trl"), FieldPanel("transfer_modes"),
        FieldPanel("price"), FieldPanel("price_negotiable"), InlinePanel("ip_items", label=_("知识产权")),
    ] + ListingPage.common_panels
    search_fields = ListingPage.search_fields + [index.SearchField("summary")]
    parent_page_types = ["listings.AchievementIndexPage"]
    template = "listings/achievement_page.html"

    class Meta:
        verbose_name = _("科技成果")
        verbose_name_plural = _("科技成果")

    def validate_listing(self) -> None:
        if self.price is None and not self.price_negotiable:
            raise ValidationError({"price": _("请填写价格或选择“面议”。")})

    @property
    def stage(self) -> str | None:
        return stage_for_trl(self.trl)

    @property
    def stage_label(self) -> str:
        return str(dict(MaturityStage.choices).get(self.stage, ""))

    @property
    def transfer_mode_labels(self) -> list[str]:
        return mode_labels(self.transfer_modes)


class AchievementIPItem(Orderable):
    page = ParentalKey(AchievementPage, on_delete=models.CASCADE, related_name="ip_items")
    ip_type = models.CharField(_("类型"), max_length=20, choices=IPType.choices)
    number = models.CharField(_("编号"), max_length=60)
    title = models.CharField(_("名称"), max_length=200, blank=True)

    panels = [FieldPanel("ip_type"), FieldPanel("number"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("知识产权")


class DemandPage(ListingPage):
    description = models.TextField(_("需求描述"))
    budget_min = MoneyField(_("预算下限（元）"), null=True, blank=True,
                            validators=[MinValueValidator(Decimal("0"))])
    budget_max = MoneyField(_("预算上限（元）"), null=True, blank=True,
                            validators=[MinValueValidator(Decimal("0"))])
    deadline = models.DateField(_("截止日期"), null=True, blank=True)
    cooperation_modes = models.JSONField(_("期望合作方式"), default=list,
                                         validators=[validate_transfer_modes])

    content_panels = Page.content_panels + [
        FieldPanel("description"), FieldPanel("budget_min"), FieldPanel("budget_max"), FieldPanel("deadline"),
        FieldPanel("cooperation_modes"),
    ] + ListingPage.common_panels
    search_fields = ListingPage.search_fields + [index.SearchField("description")]
    parent_page_types = ["listings.DemandIndexPage"]
    template = "listings/demand_page.html"

    class Meta:
        verbose_name = _("技术需求")
        verbose_name_plural = _("技术需求")

    def validate_listing(self) -> None:
        today = timezone.localdate()
        if self.deadline and self.deadline < today and self._deadline_changed():
            raise ValidationError({"deadline": _("截止日期不能早于今天。")})
        if self.budget_min is not None and self.budget_max is not None and self.budget_min > self.budget_max:
            raise ValidationError({"budget_max": _("预算上限不能低于下限。")})

    @property
    def is_expired(self) -> bool:
        return super().is_expired or bool(self.deadline and self.deadline < timezone.localdate())

    def _deadline_changed(self) -> bool:
        """A deadline that has passed since publication is fine; entering a past one is not."""
        if not self.pk:
            return True
        live = type(self).objects.filter(pk=self.pk).values_list("deadline", flat=True).first()
        return live != self.deadline

    @property
    def cooperation_mode_labels(self) -> list[str]:
        return mode_labels(self.cooperation_modes)


class PilotBasePage(ListingPage):
    capabilities = models.TextField(_("服务能力"))
    equipment = models.TextField(_("主要设备"), blank=True, help_text=_("每行一台"))
    industries = ParentalManyToManyField("taxonomy.IndustryField", verbose_name=_("服务行业"),
                                         blank=True, related_name="+")
    capacity = models.CharField(_("中试能力"), max_length=200, blank=True)
    fees = models.CharField(_("收费标准"), max_length=200, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("capabilities"), FieldPanel("equipment"), FieldPanel("industries"), FieldPanel("capacity"),
        FieldPanel("fees"),
    ] + ListingPage.common_panels
    search_fields = ListingPage.search_fields + [index.SearchField("capabilities")]
    parent_page_types = ["listings.PilotBaseIndexPage"]
    template = "listings/pilot_base_page.html"

    class Meta:
        verbose_name = _("中试基地")
        verbose_name_plural = _("中试基地")

    @property
    def equipment_list(self) -> list[str]:
        return [line.strip() for line in self.equipment.splitlines() if line.strip()]


class ListingIndexPage(Page):
    """A public list with filters by field and county, paginated."""

    intro = models.TextField(_("简介"), blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    listing_model: type[ListingPage]
    per_page = 12
    parent_page_types = ["cms.HomePage"]
    max_count = 1

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(context_for(self, request))  # the filtered, paginated list (listings.page_context)
        return context


class AchievementIndexPage(ListingIndexPage):
    listing_model = AchievementPage
    subpage_types = ["listings.AchievementPage"]
    template = "listings/listing_index_page.html"

    class Meta:
        verbose_name = _("科技成果列表")


class DemandIndexPage(ListingIndexPage):
    listing_model = DemandPage
    subpage_types = ["listings.DemandPage"]
    template = "listings/listing_index_page.html"

    class Meta:
        verbose_name = _("技术需求列表")


class PilotBaseIndexPage(ListingIndexPage):
    listing_model = PilotBasePage
    subpage_types = ["listings.PilotBasePage"]
    template = "listings/listing_index_page.html"

    class Meta:
        verbose_name = _("中试基地列表")


LISTING_MODELS = {"achievement": AchievementPage, "demand": DemandPage, "pilot_base": PilotBasePage}
