"""Matchmaking events (对接会, 路演, 院士专家论坛, 中科院专家滨州行, 科技助农惠民) as Wagtail pages, and the
operational data around them: registrations with their participants, meeting preferences, the 1:1
meeting schedule and check-in.

The page holds what an editor publishes (through the moderation workflow); everything that changes
while the event runs lives in ordinary tables, so publishing a new page revision never rewinds it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from marketplace.core.fields import MoneyField
from marketplace.core.page_context import context_for
from marketplace.core.pages import TREE_FIELDS

from .states import ACTIVE, RegistrationStatus


class EventType(models.TextChoices):
    MATCHMAKING = "matchmaking", _("对接会")
    ROADSHOW = "roadshow", _("路演")
    ACADEMICIAN_FORUM = "academician_forum", _("院士专家论坛")
    CAS_VISIT = "cas_visit", _("中科院专家滨州行")
    SERVICE = "service", _("科技助农惠民")


class WhenFull(models.TextChoices):
    REFUSE = "refuse", _("额满即止")
    WAITLIST = "waitlist", _("进入候补名单")


class EventIndexPage(Page):
    intro = models.TextField(_("简介"), blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1
    template = "events/event_index_page.html"

    class Meta:
        verbose_name = _("活动列表")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(context_for(self, request))  # upcoming and past events (events.page_context)
        return context


class EventPage(Page):
    event_type = models.CharField(_("活动类型"), max_length=30, choices=EventType.choices,
                                  default=EventType.MATCHMAKING)
    summary = models.TextField(_("活动简介"), blank=True)
    organizer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("组织方"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="organized_events")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    venue = models.CharField(_("地点"), max_length=200, blank=True)
    online_url = models.URLField(_("线上链接"), blank=True)
    county = models.ForeignKey("taxonomy.County", verbose_name=_("县(市、区)"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    capacity = models.PositiveIntegerField(_("名额（人）"), default=100,
                                           validators=[MinValueValidator(1)])
    registration_opens_at = models.DateTimeField(_("报名开始"))
    registration_closes_at = models.DateTimeField(_("报名截止"))
    when_full = models.CharField(_("额满后"), max_length=10, choices=WhenFull.choices,
                                 default=WhenFull.WAITLIST)
    requires_approval = models.BooleanField(_("报名需审核"), default=False)
    refund_full_days_before = models.PositiveSmallIntegerField(
        _("全额退款截止（开始前天数）"), default=7,
        help_text=_("开始前不少于N天取消可全额退款，之后不退款。"))
    # Shown on the registration page of a paid ticket: how to pay when online payment is not offered.
    bank_transfer_instructions = models.TextField(
        _("对公转账说明"), blank=True,
        help_text=_("收款单位、开户行、账号及转账附言要求；组织方收到款项后在报名管理中登记。"))
    checkin_opens_hours_before = models.PositiveSmallIntegerField(
        _("签到开放（开始前小时数）"), default=2,
        help_text=_("活动开始前多少小时起可以签到。"))
    # The 1:1 meeting grid: slot_count slots of slot_minutes each from first_slot_at, table_count tables.
    slot_count = models.PositiveSmallIntegerField(_("洽谈时段数"), default=0)
    slot_minutes = models.PositiveSmallIntegerField(_("每时段分钟"), default=20,
                                                    validators=[MinValueValidator(5)])
    table_count = models.PositiveSmallIntegerField(_("洽谈桌数"), default=0)
    first_slot_at = models.DateTimeField(_("首个时段开始"), null=True, blank=True)
    max_meetings_per_participant = models.PositiveSmallIntegerField(
        _("每单位最多洽谈数"), null=True, blank=True)

    def checkin_opens_at(self):
        """Check-in opens this long before the start and stays open until the end."""
        return self.starts_at - dt.timedelta(hours=self.checkin_opens_hours_before)

    content_panels = Page.content_panels + [
        FieldPanel("event_type"), FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("starts_at"), FieldPanel("ends_at"), FieldPanel("venue"),
                         FieldPanel("online_url"), FieldPanel("county")],
                        heading=_("时间地点")),
        MultiFieldPanel([FieldPanel("capacity"), FieldPanel("registration_opens_at"),
                         FieldPanel("registration_closes_at"), FieldPanel("when_full"),
                         FieldPanel("requires_approval"), FieldPanel("refund_full_days_before"),
                         FieldPanel("bank_transfer_instructions"), FieldPanel("checkin_opens_hours_before")],
                        heading=_("报名")),
        InlinePanel("ticket_types", label=_("票种"), min_num=1),
        InlinePanel("sessions", label=_("议程")),
        InlinePanel("guests", label=_("特邀嘉宾")),
        MultiFieldPanel([FieldPanel("slot_count"), FieldPanel("slot_minutes"), FieldPanel("table_count"),
                         FieldPanel("first_slot_at"), FieldPanel("max_meetings_per_participant")],
                        heading=_("1对1洽谈")),
        FieldPanel("organizer"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("venue")]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types: list[str] = []
    template = "events/event_page.html"

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")

    def clean(self) -> None:
        super().clean()
        self.validate_event()

    def validate_event(self) -> None:
        errors: dict[str, list] = {}

        def add(name: str, message) -> None:
            errors.setdefault(name, []).append(message)

        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            add("ends_at", _("结束时间须晚于开始时间。"))
        if self.registration_opens_at and self.registration_closes_at \
                and self.registration_closes_at <= self.registration_opens_at:
            add("registration_closes_at",
                _("报名截止须晚于报名开始。"))
        if self.registration_closes_at and self.ends_at and self.registration_closes_at > self.ends_at:
            add("registration_closes_at",
                _("报名截止不能晚于活动结束。"))
        if not self.venue and not self.online_url:
            add("venue", _("请填写地点或线上链接。"))
        if self.slot_count:
            if not self.table_count:
                add("table_count", _("设置了洽谈时段就需要洽谈桌。"))
            if not self.first_slot_at:
                add("first_slot_at", _("请填写首个时段的开始时间。"))
            elif self.starts_at and self.ends_at:
                last_end = self.first_slot_at + dt.timedelta(minutes=self.slot_count * self.slot_minutes)
                if self.first_slot_at < self.starts_at or last_end > self.ends_at:
                    add("first_slot_at", _("洽谈时段须在活动时间之内。"))
        if errors:
            raise ValidationError(errors)

    def validate_before_submit(self) -> None:
        self.clean_fields(exclude=TREE_FIELDS)
        self.validate_event()

    # Read-only helpers for templates and services ---------------------------------------------

    def slot_times(self) -> list[tuple[dt.datetime, dt.datetime]]:
        if not self.slot_count or not self.first_slot_at:
            return []
        step = dt.timedelta(minutes=self.slot_minutes)
        return [(self.first_slot_at + i * step, self.first_slot_at + (i + 1) * step)
                for i in range(self.slot_count)]

    def registration_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.registration_opens_at <= now < self.registration_closes_at

    @property
    def has_meetings(self) -> bool:
        return bool(self.slot_count and self.table_count and self.first_slot_at)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(context_for(self, request))  # the visitor's registration and rights (events.page_context)
        return context


class TicketType(Orderable):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="ticket_types")
    name = models.CharField(_("票种"), max_length=60)
    price = MoneyField(_("单价（元）"), default=Decimal("0"),
                       validators=[MinValueValidator(Decimal("0"))],
                       help_text=_("0 表示免费"))
    description = models.CharField(_("说明"), max_length=200, blank=True)

    panels = [FieldPanel("name"), FieldPanel("price"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("票种")

    def __str__(self) -> str:
        return f"{self.name} ¥{self.price}" if self.price else f"{self.name} ({_('免费')})"

    @property
    def is_free(self) -> bool:
        return self.price == 0


class EventSession(Orderable):
    """One item of the published agenda (议程): what happens when, and who speaks."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    title = models.CharField(_("议程内容"), max_length=120)
    speaker = models.CharField(_("主讲人"), max_length=80, blank=True)
    place = models.CharField(_("会场"), max_length=100, blank=True)

    panels = [FieldPanel("starts_at"), FieldPanel("ends_at"), FieldPanel("title"), FieldPanel("speaker"),
              FieldPanel("place")]

    class Meta(Orderable.Meta):
        verbose_name = _("议程")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("议程的结束时间须晚于开始时间。")})


class EventGuest(Orderable):
    """An invited participant (特邀嘉宾) the organizer announces on the event page."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("姓名"), max_length=60)
    affiliation = models.CharField(_("单位"), max_length=120, blank=True)
    title = models.CharField(_("职务/职称"), max_length=80, blank=True)

    panels = [FieldPanel("name"), FieldPanel("affiliation"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("特邀嘉宾")

    def __str__(self) -> str:
        return self.name


class Registration(models.Model):
    """One organization's registration for an event: a ticket for one or several people."""

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="registrations")
    organization = models.ForeignKey("accounts.Organization", verbose_name=_("参会单位"),
                                     on_delete=models.PROTECT, related_name="event_registrations")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="event_registrations")
    # The ticket as it was when registering: editors may later rename or delete ticket types.
    ticket = models.ForeignKey(TicketType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ticket_name = models.CharField(_("票种"), max_length=60)
    unit_price = MoneyField(_("单价（元）"))
    seats = models.PositiveSmallIntegerField(_("人数"), validators=[MinValueValidator(1)])
    status = models.CharField(_("状态"), max_length=20, choices=RegistrationStatus.choices,
                              db_index=True)
    contact_email = models.EmailField(_("联系邮箱"))
    offers = models.TextField(_("可提供"), blank=True)
    seeks = models.TextField(_("希望对接"), blank=True)
    demands = models.ManyToManyField("listings.DemandPage", verbose_name=_("关联技术需求"),
                                     blank=True, related_name="+")
    achievements = models.ManyToManyField("listings.AchievementPage",
                                          verbose_name=_("关联科技成果"), blank=True,
                                          related_name="+")
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organization"], condition=Q(status__in=sorted(ACTIVE)),
                                    name="events_one_active_registration_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} @ {self.event}"

    @property
    def total_price(self) -> Decimal:
        return self.unit_price * self.seats

    @property
    def is_paid_ticket(self) -> bool:
        return self.unit_price > 0


class RegistrationLog(models.Model):
    """Every status change, who made it and why: the audit trail organizers and support read."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="log")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.from_status} -> {self.to_status}"


class Participant(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("姓名"), max_length=80)
    title = models.CharField(_("职务"), max_length=80, blank=True)
    phone = models.CharField(_("手机"), max_length=30, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)
    checkin_code = models.CharField(_("签到码"), max_length=12, unique=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("参会人")

    def __str__(self) -> str:
        return self.name


class MeetingPreference(models.Model):
    """A participant asks to meet another registered organization, or declines to."""

    class Kind(models.TextChoices):
        REQUEST = "request", _("希望洽谈")
        DECLINE = "decline", _("谢绝洽谈")

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="meeting_preferences")
    source = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="preferences_given")
    target = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="preferences_received")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "target"],
                                               name="events_one_preference_per_pair")]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"

    def clean(self) -> None:
        if self.source_id == self.target_id:
            raise ValidationError(_("不能与自己洽谈。"))


class Meeting(models.Model):
    """One 1:1 meeting: two registrations at a table during a slot."""

    class Source(models.TextChoices):
        GENERATED = "generated", _("自动排期")
        MANUAL = "manual", _("手工调整")

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="meetings")
    slot = models.PositiveSmallIntegerField(_("时段"))
    table = models.PositiveSmallIntegerField(_("桌号"))
    a = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("匹配度"), default=0.0)
    requested = models.BooleanField(_("预约"), default=False)
    reasons = models.JSONField(_("匹配理由"), default=list, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.GENERATED)

    class Meta:
        ordering = ["slot", "table"]
        constraints = [
            models.UniqueConstraint(fields=["event", "slot", "table"],
                                    name="events_one_meeting_per_table_slot"),
            models.CheckConstraint(condition=~Q(a=models.F("b")), name="events_meeting_two_parties"),
        ]

    def __str__(self) -> str:
        return f"slot {self.slot + 1} table {self.table + 1}: {self.a_id} - {self.b_id}"

    def partner_of(self, registration: Registration) -> Registration:
        return self.b if registration.pk == self.a_id else self.a


class EventSchedule(models.Model):
    """The state of an event's meeting schedule: when generated, with what result, and whether published."""

    event = models.OneToOneField(EventPage, on_delete=models.CASCADE, related_name="schedule")
    generated_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    algorithm = models.CharField(max_length=120, blank=True)
    score_source = models.CharField(max_length=120, blank=True)
    total_score = models.FloatField(default=0.0)
    greedy_score = models.FloatField(default=0.0)
    unfit = models.JSONField(default=list, blank=True)  # requested meetings that did not fit, with reasons

    def __str__(self) -> str:
        return f"schedule of {self.event_id}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
