from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import PlatformRole, User
from marketplace.core.fields import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS

from .models import TransferListing


class ListingForm(forms.ModelForm):
    class Meta:
        model = TransferListing
        fields = ["mode", "reserve_price", "bid_increment", "deposit_amount", "window_days", "publicity_days",
                  "agent", "terms", "documents"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = User.objects.filter(role=PlatformRole.AGENT, is_active=True)
        self.fields["agent"].label_from_instance = lambda u: u.get_full_name() or u.email


class BidForm(forms.Form):
    amount = forms.DecimalField(label=_("出价（元）"), max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES,
                                min_value=Decimal("0.01"))


class RegisterForm(forms.Form):
    # Most bidders belong to one enterprise: it is chosen already rather than behind an empty choice.
    organization = forms.ModelChoiceField(label=_("竞买企业"), queryset=None, empty_label=None)

    def __init__(self, *args, organizations=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("异议内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), max_length=2000)


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(label=_("处理结果"), choices=[("dismiss", _("异议不成立，继续公示")),
                                                                ("uphold", _("异议成立，本次交易不成交"))])
    resolution = forms.CharField(label=_("处理意见"), max_length=2000)
