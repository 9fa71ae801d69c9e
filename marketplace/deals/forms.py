"""Deal forms: open/edit a deal, and one form per kind of move (plain, lost, signed, registered)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ACADEMIC_KINDS, Organization, OrganizationKind, PlatformRole, User
from marketplace.agreements.forms import AgreementTermsForm
from marketplace.core.fields import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS
from marketplace.core.one_time import OneTimeFormMixin
from marketplace.listings.models import AchievementPage, DemandPage, PilotBasePage

from . import stages
from .models import Deal
from .services import Registration


def _enterprises():
    return Organization.objects.filter(kind=OrganizationKind.ENTERPRISE)


def _academics():
    return Organization.objects.filter(kind__in=ACADEMIC_KINDS)


class DealForm(OneTimeFormMixin, forms.ModelForm):
    """Open a deal by hand or from a demand (the demand's owner becomes the enterprise party)."""

    demand = forms.ModelChoiceField(
        label=_("技术需求"),
        required=False,
        queryset=DemandPage.objects.live().order_by("-first_published_at"),
    )
    achievement = forms.ModelChoiceField(
        label=_("科技成果"),
        required=False,
        queryset=AchievementPage.objects.live().order_by("-first_published_at"),
    )
    collaborators = forms.ModelMultipleChoiceField(
        label=_("协作经纪人"), required=False, queryset=User.objects.filter(role=PlatformRole.AGENT)
    )

    class Meta:
        model = Deal
        fields = ["title", "enterprise", "academic", "pilot_base", "commission", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, agent: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _(
            "留空则按需求/成果名称生成"
        )
        self.fields["enterprise"].required = False
        self.fields["enterprise"].queryset = _enterprises()
        self.fields["academic"].queryset = _academics()
        self.fields["pilot_base"].queryset = PilotBasePage.objects.live()
        # From 发起商机 in a conversation: only one the agent takes part in (the model is reached through the
        # field, so this app does not import the inquiries app).
        conversations = Deal._meta.get_field("conversation").related_model.objects
        self.fields["conversation"] = forms.ModelChoiceField(
            required=False, widget=forms.HiddenInput,
            queryset=conversations.filter(agent=agent) if agent is not None else conversations.none(),
            error_messages={"invalid_choice": _("只能由您参与的洽谈发起商机。")})
        if agent is not None:
            self.fields["collaborators"].queryset = User.objects.filter(role=PlatformRole.AGENT).exclude(
                pk=agent.pk
            )

    def clean(self):
        data = super().clean()
        if not data.get("enterprise") and not data.get("demand"):
            self.add_error("enterprise", _("请选择企业方或技术需求。"))
        return data

    def _post_clean(self):
        # The service validates the assembled deal (the enterprise may come from the demand).
        pass


class DealEditForm(forms.ModelForm):
    class Meta:
        model = Deal
        fields = ["title", "academic", "pilot_base", "commission", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academic"].queryset = _academics()
        self.fields["pilot_base"].queryset = PilotBasePage.objects.live()


class MoveForm(forms.Form):
    """A plain move. Carries what the person saw (stage, version) so a stale move can be refused."""

    to_stage = forms.ChoiceField(choices=stages.Stage.choices, widget=forms.HiddenInput)
    expected_stage = forms.ChoiceField(choices=stages.Stage.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, deal: Deal | None = None, to_stage: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if deal is not None and not self.is_bound:
            self.initial.update(to_stage=to_stage, expected_stage=deal.stage, version=deal.version)

    def move_kwargs(self) -> dict:
        return {
            "to_stage": self.cleaned_data["to_stage"],
            "expected_stage": self.cleaned_data["expected_stage"],
            "expected_version": self.cleaned_data["version"],
            "note": self.cleaned_data.get("note", ""),
        }


class LostForm(MoveForm):
    reason = forms.CharField(
        label=_("流失原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写流失原因。")},
    )

    def move_kwargs(self) -> dict:
        return {**super().move_kwargs(), "reason": self.cleaned_data["reason"]}


class SignForm(MoveForm, AgreementTermsForm):
    """Moving to "agreement signed" records the agreement: its details are part of the move."""

    def __init__(self, *args, deal: Deal | None = None, to_stage: str | None = None, **kwargs):
        AgreementTermsForm.__init__(self, *args, **kwargs)
        if deal is not None and not self.is_bound:
            self.initial.update(to_stage=to_stage, expected_stage=deal.stage, version=deal.version)
            self.initial.setdefault("title", deal.title)
            self.initial.setdefault("signed_on", timezone.localdate())
            self.initial.setdefault("county", deal.enterprise.county_id)
            source = deal.demand or deal.achievement
            if source is not None:
                self.initial.setdefault("field", source.field_id)

    def move_kwargs(self) -> dict:
        return {**super().move_kwargs(), "agreement": self.terms()}


class RegisterForm(MoveForm):
    registration_number = forms.CharField(
        label=_("技术合同登记号"), max_length=60, required=False
    )
    registered_amount = forms.DecimalField(
        label=_("登记金额（元）"),
        required=False,
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        min_value=0,
    )

    def move_kwargs(self) -> dict:
        return {
            **super().move_kwargs(),
            "registration": Registration(
                self.cleaned_data.get("registration_number") or "", self.cleaned_data.get("registered_amount")
            ),
        }


FORM_FOR_TARGET: dict[str, type[MoveForm]] = {
    stages.NEEDS_REASON: LostForm,
    stages.NEEDS_AGREEMENT: SignForm,
    stages.NEEDS_REGISTRATION: RegisterForm,
}


def move_form_class(to_stage: str) -> type[MoveForm]:
    return FORM_FOR_TARGET.get(to_stage, MoveForm)
