"""Front-end forms for challenges. They parse and validate input (errors in Chinese, then English);
the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.core.fields import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS
from marketplace.core.one_time import OneTimeFormMixin
from marketplace.listings.forms import ListingForm

from .models import ChallengeApplication, ChallengePage
from .selectors import academic_orgs_of, enterprise_orgs_of

# Django's own messages come in one language; ours say it in Chinese, then English.
MESSAGES = {
    "required": _("此项为必填项。"),
    "invalid_choice": _("请选择有效的选项。"),
    "min_value": _("不能小于%(limit_value)s。"),
    "max_value": _("不能大于%(limit_value)s。"),
    "max_digits": _("数字最多%(max)s位。"),
    "max_decimal_places": _("最多%(max)s位小数。"),
    "max_whole_digits": _("整数部分最多%(max)s位。"),
    "max_length": _("最多%(limit_value)d个字符。"),
}
INVALID = {
    forms.DecimalField: _("请输入数字（元）。"),
    forms.DateField: _("请输入有效日期，如 2023-06-30。"),
    forms.EmailField: _("请输入有效的邮箱地址。"),
}


def bilingual(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        field.error_messages.update(MESSAGES)
        for kind, message in INVALID.items():
            if isinstance(field, kind):
                field.error_messages["invalid"] = message
        if isinstance(field, forms.DecimalField):  # every decimal here is money with a floor of 0
            field.error_messages["min_value"] = _("金额不能为负数。")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ChallengeForm(ListingForm):
    """A listing form (one-time token, field and listing-rule validation) for an enterprise's challenge."""

    class Meta:
        model = ChallengePage
        fields = ["title", "problem", "goals", "bounty", "application_deadline", "organization", "field", "county",
                  "keywords", "contact_name", "contact_phone", "contact_email", "attachment", "expires_at"]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 5}),
            "goals": forms.Textarea(attrs={"rows": 4}),
            "application_deadline": DateInput,
            "expires_at": DateInput,
        }
        labels = {"title": _("榜单名称")}
        help_texts = {"title": _("简明写出要攻克的技术难题")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["bounty"].help_text = _("揭榜成功后企业支付的榜单金额")
        bilingual(self)

    def owner_organizations(self, user):
        return enterprise_orgs_of(user)


class ApplicationForm(OneTimeFormMixin, forms.ModelForm):
    # One application per organization and challenge is the database's rule; the token covers repeats.
    same_content_is_duplicate = False

    class Meta:
        model = ChallengeApplication
        fields = ["organization", "team_lead", "proposed_amount", "proposal"]
        widgets = {"proposal": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"proposal": _("技术路线、团队基础、进度安排与预期成果")}

    def __init__(self, *args, user=None, challenge: ChallengePage | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = academic_orgs_of(user)
        if challenge is not None:
            orgs = orgs.exclude(challenge_applications__challenge=challenge)
        self.fields["organization"].queryset = orgs.order_by("name")
        self.fields["organization"].empty_label = None
        bilingual(self)


class SubsidyForm(forms.Form):
    subsidy_amount = forms.DecimalField(label=_("科创券补助金额（元）"), min_value=0,
                                        max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES)
    subsidy_granted_on = forms.DateField(label=_("发放日期"), widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bilingual(self)


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("关闭原因"), max_length=300, required=False)
