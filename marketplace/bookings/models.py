"""A piece of a pilot base's equipment, and a booking (中试预约) of it for a trial run. States live in
states.py; who may do what in selectors.py; every write in services.py."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .states import BookingStatus

NOTE_MAX = 2000
# Trial runs are booked at most this far ahead and for at most this many days at a time.
MAX_DAYS = 92


class Equipment(models.Model):
    """One line of the base page's equipment list, as a row a booking can lock (see services). Kept in
    step with the page's list by services.equipment_for; a line removed from the page is retired, not
    deleted, so past bookings keep their equipment."""

    base = models.ForeignKey("listings.PilotBasePage", verbose_name=_("中试基地"), on_delete=models.CASCADE,
                             related_name="booking_equipment")
    name = models.CharField(_("设备名称"), max_length=200)
    retired = models.BooleanField(_("已停用"), default=False)

    class Meta:
        ordering = ["base_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["base", "name"], name="booking_equipment_once_per_base")]
        verbose_name = _("中试设备")
        verbose_name_plural = _("中试设备")

    def __str__(self) -> str:
        return self.name


class Booking(models.Model):
    base = models.ForeignKey("listings.PilotBasePage", verbose_name=_("中试基地"), on_delete=models.PROTECT,
                             related_name="bookings")
    equipment = models.ForeignKey(Equipment, verbose_name=_("设备"), on_delete=models.PROTECT,
                                  related_name="bookings")
    enterprise = models.ForeignKey("accounts.Organization", verbose_name=_("预约企业"), on_delete=models.PROTECT,
                                   related_name="pilot_bookings")
    operator = models.ForeignKey("accounts.Organization", verbose_name=_("基地运营方"), on_delete=models.PROTECT,
                                 related_name="pilot_bookings_received")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT,
                                     related_name="+")
    # The dates first asked for are kept; start/end are the dates now on the table (a proposal changes them).
    requested_start = models.DateField(_("申请开始日期"))
    requested_end = models.DateField(_("申请结束日期"))
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    material = models.CharField(_("试验物料"), max_length=200)
    quantity = models.CharField(_("数量"), max_length=100)
    note = models.TextField(_("补充说明"), max_length=NOTE_MAX, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=BookingStatus.choices,
                              default=BookingStatus.REQUESTED, db_index=True)
    answer = models.TextField(_("答复说明"), max_length=NOTE_MAX, blank=True)
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("中试预约")
        verbose_name_plural = _("中试预约")
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")),
                                   name="booking_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} @ {self.equipment} {self.start_date}–{self.end_date}"

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                errors["end_date"] = _("结束日期不能早于开始日期。")
            elif (self.end_date - self.start_date).days + 1 > MAX_DAYS:
                errors["end_date"] = _("一次预约最长 %(n)d 天。") % {"n": MAX_DAYS}
        if self.enterprise_id and self.enterprise_id == self.operator_id:
            errors["enterprise"] = _("不能预约本机构的中试基地。")
        if self.status == BookingStatus.DECLINED and not self.answer.strip():
            errors["answer"] = _("请填写婉拒原因。")
        if errors:
            raise ValidationError(errors)

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1
