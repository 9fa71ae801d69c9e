from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organization

from .models import Scope
from .services import MAX_RATE_LIMIT


class ApiKeyForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("机构"), queryset=Organization.objects.none(), empty_label=None)
    name = forms.CharField(label=_("名称"), max_length=80, help_text=_("用途，例如“省技术市场同步”"))
    scopes = forms.MultipleChoiceField(label=_("权限范围"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple,
                                       initial=[Scope.READ])
    rate_limit = forms.IntegerField(label=_("每分钟请求上限"), min_value=1, max_value=MAX_RATE_LIMIT, initial=120)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            memberships__user=user, memberships__role=Membership.Role.ADMIN).distinct()
