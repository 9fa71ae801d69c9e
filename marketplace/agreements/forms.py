"""Forms for agreements: the terms (shared with the deal's signing step), direct entry, import, targets."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import ACADEMIC_KINDS, Organization, OrganizationKind

from .importing import MAX_BYTES
from .models import Agreement
from .services import AgreementTerms, Parties

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
    input_type = "date"


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
    """Direct entry by bureau staff or an organizer: the terms plus the parties."""

    enterprises = forms.ModelMultipleChoiceField(
        label=_("企业方 Enterprises"), queryset=Organization.objects.filter(kind=OrganizationKind.ENTERPRISE)
    )
    academics = forms.ModelMultipleChoiceField(
        label=_("高校院所方 Universities / institutes"),
        queryset=Organization.objects.filter(kind__in=ACADEMIC_KINDS),
    )
    others = forms.ModelMultipleChoiceField(
        label=_("其他参与方 Other parties"), required=False, queryset=Organization.objects.all()
    )

    def parties(self) -> Parties:
        return Parties(
            enterprises=list(self.cleaned_data["enterprises"]),
            academics=list(self.cleaned_data["academics"]),
            others=list(self.cleaned_data.get("others") or []),
        )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("协议登记表（.csv 或 .xlsx） Register file (.csv or .xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("仅支持 .csv 或 .xlsx 文件。(Only .csv or .xlsx files.)"))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("文件超过5MB。(The file is larger than 5 MB.)"))
        return upload
