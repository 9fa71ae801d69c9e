"""Forms for agreements: the terms (shared with the deal's signing step), direct entry, import, targets."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import ACADEMIC_KINDS, Organization, OrganizationKind

from .importing import MAX_BYTES
from .models import Agreement, PartySide
from .services import AgreementTerms, Parties
from .states import Status

TERMS_FIELDS = [
    "title",
    "agreement_type",
    "amount",
    "signed_on",
    "county",
    "field",
    "registration_number",
    "registered_amount",
    "event",
    "notes",
]


class DateInput(forms.DateInput):
    """<input type="date"> accepts only yyyy-mm-dd as its value; the Chinese locale's first date format
    (yyyy/mm/dd) would leave the browser's field empty, so the format is fixed here."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format=format or "%Y-%m-%d")


class AgreementTermsForm(forms.ModelForm):
    """What was signed. Model validation (no negative amount, no future date, unique registration
    number) runs here too, so the person sees field errors before anything is saved."""

    class Meta:
        model = Agreement
        fields = TERMS_FIELDS
        widgets = {"signed_on": DateInput, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration_number"].required = False
        self.fields["amount"].widget.attrs.update(min="0", step="0.01")
        from marketplace.events.models import EventPage

        self.fields["event"].queryset = EventPage.objects.live().order_by("-starts_at")
        self.fields["event"].required = False

    def clean_registration_number(self):
        return (self.cleaned_data.get("registration_number") or "").strip() or None

    def terms(self) -> AgreementTerms:
        return AgreementTerms(**{name: self.cleaned_data.get(name) for name in TERMS_FIELDS})


class AgreementForm(AgreementTermsForm):
    """Direct entry by bureau staff or an organizer, and fixing the terms after a return: the terms,
    the registering office, the parties, and the form's one-time token (a resubmitted form is refused
    and leads to the agreement it already created)."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta(AgreementTermsForm.Meta):
        fields = [*TERMS_FIELDS[:8], "registration_office", *TERMS_FIELDS[8:]]

    enterprises = forms.ModelMultipleChoiceField(
        label=_("企业方"), queryset=Organization.objects.filter(kind=OrganizationKind.ENTERPRISE)
    )
    academics = forms.ModelMultipleChoiceField(
        label=_("高校院所方"),
        queryset=Organization.objects.filter(kind__in=ACADEMIC_KINDS),
    )
    others = forms.ModelMultipleChoiceField(
        label=_("其他参与方"), required=False, queryset=Organization.objects.all()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration_office"].help_text = _("如“滨州市技术市场管理办公室”")
        self.fields["registration_number"].help_text = _("16位数字：登记年份4位+登记机构行政区划代码6位+流水号6位")
        if not self.is_bound and not self.initial.get("form_token"):
            self.initial["form_token"] = uuid.uuid4().hex
        if self.instance.pk:
            links = list(self.instance.party_links.all())
            for name, side in (("enterprises", PartySide.ENTERPRISE), ("academics", PartySide.ACADEMIC),
                               ("others", PartySide.OTHER)):
                self.initial.setdefault(name, [link.organization_id for link in links if link.side == side])

    def clean(self):
        data = super().clean()
        if data.get("registration_number") and not (data.get("registration_office") or "").strip():
            self.add_error("registration_office", _("填写登记编号时请填写登记机构。"))
        return data

    def terms(self) -> AgreementTerms:
        terms = super().terms()
        terms.registration_office = self.cleaned_data.get("registration_office") or ""
        return terms

    def parties(self) -> Parties:
        return Parties(
            enterprises=list(self.cleaned_data["enterprises"]),
            academics=list(self.cleaned_data["academics"]),
            others=list(self.cleaned_data.get("others") or []),
        )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("协议登记表（.csv 或 .xlsx）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("仅支持 .csv 或 .xlsx 文件。"))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("文件超过5MB。"))
        return upload


class ScanForm(forms.Form):
    scan = forms.FileField(label=_("合同扫描件（PDF）"))


class ConfirmForm(forms.Form):
    side = forms.ChoiceField(label=_("确认方"), choices=[c for c in PartySide.choices if c[0] != PartySide.OTHER])
    on_behalf = forms.BooleanField(label=_("科技局代为确认"), required=False)
    note = forms.CharField(label=_("说明"), required=False, max_length=300)


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("转为"), choices=Status.choices)
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DuplicateForm(forms.Form):
    decision = forms.ChoiceField(label=_("处理"), choices=[("keep", _("保留（非重复）")), ("merge", _("合并入原协议"))])
    note = forms.CharField(label=_("说明"), required=False, max_length=300)
