"""Thin forms: field errors in Chinese; the rules live in the models' clean() and the services."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import ACADEMIC_KINDS, Organization, OrganizationKind
from accounts.permissions import is_bureau, verified_organization_ids_for
from marketplace.listings.models import AchievementPage

from .models import CommissionerAssignment, EvaluationReport, ProjectRecord, ServiceLog

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssignmentForm(forms.ModelForm):
    commissioner_email = forms.EmailField(label=_("特派员邮箱"),
                                          help_text=_("特派员须已在平台注册，并为派出单位成员。"))

    class Meta:
        model = CommissionerAssignment
        fields = ["institution", "enterprise", "field", "county", "term_start", "term_end", "tasks"]
        widgets = {"term_start": DATE, "term_end": DATE}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        verified = Organization.objects.filter(verified=True)
        self.fields["institution"].queryset = verified.filter(kind__in=ACADEMIC_KINDS)
        self.fields["enterprise"].queryset = verified.filter(kind=OrganizationKind.ENTERPRISE)
        self.user = user

    def clean_commissioner_email(self) -> object:
        user = get_user_model().objects.filter(email__iexact=self.cleaned_data["commissioner_email"]).first()
        if user is None:
            raise ValidationError(_("未找到该邮箱的注册用户。"))
        return user

    def assignment_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["commissioner"] = self.cleaned_data["commissioner_email"]
        return data

    def _post_clean(self) -> None:
        # The model's clean() runs in the service, with the commissioner set.
        pass


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核结果"), choices=[("approve", _("认定")), ("reject", _("不予认定"))],
                                 widget=forms.RadioSelect)
    note = forms.CharField(label=_("审核意见"), max_length=300, required=False)

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class ServiceLogForm(forms.ModelForm):
    class Meta:
        model = ServiceLog
        fields = ["month", "visits", "problems_solved", "summary"]
        widgets = {"month": DATE}

    def _post_clean(self) -> None:
        pass  # validated by the service, with the assignment set


class RecordForm(forms.ModelForm):
    class Meta:
        model = ProjectRecord
        fields = ["kind", "title", "summary", "owner", "field", "county", "stage", "source_demand",
                  "source_challenge", "source_deal"]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        orgs = Organization.objects.filter(verified=True)
        if not is_bureau(user):
            orgs = orgs.filter(pk__in=verified_organization_ids_for(user))
            del self.fields["source_deal"]  # deals are private to their parties
        self.fields["owner"].queryset = orgs
        for name in ("source_demand", "source_challenge"):
            self.fields[name].queryset = self.fields[name].queryset.live()

    def record_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}

    def _post_clean(self) -> None:
        pass  # validated by the service


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入内容"), initial="records", required=False, choices=[
        ("records", _("储备项目与重大关键技术成果")), ("commissioners", _("企业科技特派员")),
        ("stations", _("县级技术转移工作站")), ("evaluations", _("科技成果评价"))])
    file = forms.FileField(label=_("表格文件"), help_text=_("CSV 或 XLSX；第1行为表头，各类表格的列见下方说明。"))

    def clean_kind(self) -> str:
        return self.cleaned_data["kind"] or "records"  # the page's first kind, when a client leaves it out


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = EvaluationReport
        fields = ["achievement", "evaluator", "evaluated_on", "level", "report_number", "report"]
        widgets = {"evaluated_on": DATE}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["achievement"].queryset = AchievementPage.objects.live().order_by("title")

    def evaluation_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def _post_clean(self) -> None:
        pass  # validated by the service
