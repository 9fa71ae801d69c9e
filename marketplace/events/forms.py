"""Forms for registration, event creation, check-in and schedule edits. They parse and validate input;
the services decide. The repeatable rows (ticket types, agenda, guests, participants) are formsets in
edit_forms.py and participant_forms.py."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from accounts.permissions import organization_ids_for
from marketplace.core.fields import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS
from marketplace.core.one_time import OneTimeFormMixin
from marketplace.listings.models import AchievementPage, DemandPage

from .models import EventPage, MeetingPreference, Registration, TicketType
from .states import ATTENDING


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class RegistrationForm(OneTimeFormMixin, forms.Form):
    # One active registration per organization and event is the database's rule; after cancelling,
    # registering again with the same details is legitimate.
    same_content_is_duplicate = False
    # Shown above the participant rows (participant_forms.py); the other fields below them.
    lead_fields = ("organization", "ticket")

    organization = forms.ModelChoiceField(label=_("参会单位"),
                                          queryset=Organization.objects.none())
    ticket = forms.ModelChoiceField(label=_("票种"), queryset=TicketType.objects.none(),
                                    widget=forms.RadioSelect, empty_label=None)
    contact_email = forms.EmailField(label=_("接收确认的邮箱"))
    offers = forms.CharField(label=_("可提供的技术或资源"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    seeks = forms.CharField(label=_("希望对接的内容"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    demands = forms.ModelMultipleChoiceField(label=_("关联本单位的技术需求"),
                                             queryset=DemandPage.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple)
    achievements = forms.ModelMultipleChoiceField(label=_("关联本单位的科技成果"),
                                                  queryset=AchievementPage.objects.none(), required=False,
                                                  widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, event: EventPage, user, **kwargs):
        super().__init__(*args, **kwargs)
        org_ids = organization_ids_for(user)
        self.fields["organization"].queryset = Organization.objects.filter(pk__in=org_ids)
        self.fields["ticket"].queryset = event.ticket_types.all()
        self.fields["demands"].queryset = DemandPage.objects.live().filter(organization_id__in=org_ids)
        self.fields["achievements"].queryset = AchievementPage.objects.live().filter(
            organization_id__in=org_ids)
        if not self.is_bound:
            self.initial.setdefault("contact_email", user.email)
            first_org = self.fields["organization"].queryset.first()
            if first_org is not None:
                self.initial.setdefault("organization", first_org.pk)
            first_ticket = self.fields["ticket"].queryset.first()
            if first_ticket is not None:
                self.initial.setdefault("ticket", first_ticket.pk)

    def clean(self):
        cleaned = super().clean()
        org = cleaned.get("organization")
        for name in ("demands", "achievements"):
            for listing in cleaned.get(name) or []:
                if org is not None and listing.organization_id != org.pk:
                    self.add_error(name, _("只能关联所选参会单位的发布。"))
                    break
        return cleaned


class EventForm(OneTimeFormMixin, forms.ModelForm):
    """The event's own fields; its ticket types, agenda and guests are formsets (edit_forms.py)."""

    online_url = forms.URLField(label=_("线上链接"), required=False, assume_scheme="https")

    class Meta:
        model = EventPage
        fields = ["title", "event_type", "summary", "starts_at", "ends_at", "venue", "online_url", "county",
                  "capacity", "registration_opens_at", "registration_closes_at", "when_full",
                  "requires_approval", "refund_full_days_before", "slot_count", "slot_minutes", "table_count",
                  "first_slot_at", "max_meetings_per_participant", "bank_transfer_instructions",
                  "checkin_opens_hours_before"]
        widgets = {name: DateTimeLocalInput() for name in ("starts_at", "ends_at", "registration_opens_at",
                                                           "registration_closes_at", "first_slot_at")}
        widgets["summary"] = forms.Textarea(attrs={"rows": 3})
        widgets["bank_transfer_instructions"] = forms.Textarea(attrs={"rows": 3})
        # Our own words, not Wagtail's admin help text for a page title.
        help_texts = {"title": _("活动名称，如“铝基新材料产学研对接会”。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, the model's default (2 hours) applies.
        self.fields["checkin_opens_hours_before"].required = False

    def clean_checkin_opens_hours_before(self) -> int:
        value = self.cleaned_data.get("checkin_opens_hours_before")
        return 2 if value is None else value

    def event_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def _post_clean(self):
        # A page is validated without its tree fields here (it has no place in the tree yet); the
        # service validates it again before saving.
        from django.forms.models import construct_instance

        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        try:
            self.instance.validate_event()
        except ValidationError as error:
            self._update_errors(error)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300, required=False)


class CheckInCodeForm(forms.Form):
    code = forms.CharField(label=_("签到码"), max_length=20,
                           widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}))


class PreferenceForm(forms.Form):
    CHOICES = [(MeetingPreference.Kind.REQUEST, _("希望洽谈")),
               (MeetingPreference.Kind.DECLINE, _("谢绝洽谈")),
               ("clear", _("无意向"))]
    target = forms.ModelChoiceField(queryset=Registration.objects.none())
    kind = forms.ChoiceField(choices=CHOICES)

    def __init__(self, *args, registration: Registration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Registration.objects.filter(event_id=registration.event_id).exclude(
            pk=registration.pk)


class SlotTableForm(forms.Form):
    """Slots and tables are numbered from 1 on screen and from 0 in the data."""

    slot = forms.IntegerField(label=_("时段"), min_value=1)
    table = forms.IntegerField(label=_("桌号"), min_value=1)

    def __init__(self, *args, event: EventPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].max_value = event.slot_count
        self.fields["slot"].widget.attrs["max"] = event.slot_count
        self.fields["table"].max_value = event.table_count
        self.fields["table"].widget.attrs["max"] = event.table_count
        self.fields["slot"].validators.append(_max_validator(event.slot_count))
        self.fields["table"].validators.append(_max_validator(event.table_count))


def _max_validator(limit: int):
    from django.core.validators import MaxValueValidator

    return MaxValueValidator(limit)


class AddMeetingForm(SlotTableForm):
    a = forms.ModelChoiceField(label=_("参会单位甲"), queryset=Registration.objects.none())
    b = forms.ModelChoiceField(label=_("参会单位乙"), queryset=Registration.objects.none())

    def __init__(self, *args, event: EventPage, **kwargs):
        super().__init__(*args, event=event, **kwargs)
        attending = Registration.objects.filter(event=event, status__in=ATTENDING).select_related(
            "organization")
        for name in ("a", "b"):
            self.fields[name].queryset = attending
            self.fields[name].label_from_instance = lambda r: r.organization.name


class OfflinePaymentForm(forms.Form):
    """The organizer records money received by bank transfer or on site for a held seat."""

    method = forms.ChoiceField(label=_("付款方式"), choices=[("bank_transfer", _("对公转账")),
                                                           ("on_site", _("现场缴费"))])
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES,
                                min_value=Decimal("0.01"))
    reference = forms.CharField(label=_("付款凭证号"), max_length=100, required=False,
                                help_text=_("银行流水号、回单号或现场收据号；对公转账必填。"))
