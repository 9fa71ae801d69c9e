from django import forms
from django.utils.translation import gettext_lazy as _


class EraseAccountForm(forms.Form):
    password = forms.CharField(label=_("当前密码"), widget=forms.PasswordInput, strip=False)
    confirm = forms.BooleanField(label=_("我了解注销后账户无法恢复"), required=True,
                                 error_messages={"required": _("请勾选确认。")})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("密码不正确。"), code="wrong_password")
        return password
