"""Inquiry and conversation forms. Thin: the rules are in services and the models' clean()."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.listings.validators import validate_attachment

from . import selectors
from .models import MESSAGE_MAX
from .states import Outcome


class TokenForm(forms.Form):
    """Carries a one-time token so a double click or a Back-resubmit is refused (core.one_time.claim_submission)."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4().hex)


class InquiryForm(TokenForm):
    sender_org = forms.ModelChoiceField(label=_("咨询机构"), queryset=None, empty_label=None)
    need = forms.CharField(label=_("需求内容"), max_length=200,
                           error_messages={"required": _("请说明您需要什么。")})
    message = forms.CharField(label=_("留言"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": _("请填写留言。")})
    attachment = forms.FileField(label=_("附件（PDF或图片）"), required=False, validators=[validate_attachment])

    def __init__(self, *args, user=None, listing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender_org"].queryset = selectors.sender_organizations(user, listing)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("婉拒原因"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写婉拒原因。")})


class AgentForm(forms.Form):
    agent = forms.ModelChoiceField(label=_("技术经纪人"), queryset=None,
                                   error_messages={"required": _("请选择技术经纪人。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = selectors.agents()


class MessageForm(TokenForm):
    body = forms.CharField(label=_("消息"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("请输入消息内容。")})
    attachment = forms.FileField(label=_("附件（PDF或图片）"), required=False, validators=[validate_attachment])


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("洽谈结果"), choices=Outcome.choices)
    note = forms.CharField(label=_("结果说明"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("举报理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写举报理由。")})


class SuspendForm(forms.Form):
    email = forms.ModelChoiceField(label=_("账号邮箱"), queryset=None, to_field_name="email",
                                   widget=forms.EmailInput,
                                   error_messages={"required": _("请填写账号邮箱。"),
                                                   "invalid_choice": _("没有这个账号。")})
    reason = forms.CharField(label=_("暂停原因"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写暂停原因。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.models import User

        self.fields["email"].queryset = User.objects.all()
