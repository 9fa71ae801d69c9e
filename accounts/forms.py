from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.taxonomy.models import County

from .models import SELF_SERVICE_ROLES, Organization, OrganizationKind
from .uscc import normalize_uscc


class SignupForm(AllauthSignupForm):
    display_name = forms.CharField(label=_("姓名 Name"), max_length=80)
    role = forms.ChoiceField(label=_("我是 I am"), choices=SELF_SERVICE_ROLES)


class OrganizationForm(forms.ModelForm):
    county = forms.ModelChoiceField(queryset=County.objects.all(), required=False, label=_("所在县(市、区) County"))
    kind = forms.ChoiceField(choices=OrganizationKind.choices, label=_("机构类型 Kind"))

    class Meta:
        model = Organization
        fields = ["name", "kind", "uscc", "county", "contact_name", "contact_phone", "contact_email"]

    def clean_uscc(self):
        return normalize_uscc(self.cleaned_data["uscc"])
