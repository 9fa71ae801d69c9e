from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .files import detected_extension
from .models import APPLICABLE_ROLES, SELF_SERVICE_ROLES, Organization, OrganizationKind, PlatformRole
from .privacy import PRIVACY_NOTICE_VERSION
from .uscc import normalize_uscc


class SignupForm(AllauthSignupForm):
    """Sign-up offers the roles a person may declare; organizer and agent are applied for afterwards
    (RoleApplicationForm). Accepting the privacy notice is required and recorded (the adapter)."""

    privacy_notice_version = PRIVACY_NOTICE_VERSION  # shown next to the notice on the sign-up page

    display_name = forms.CharField(label=_("姓名"), max_length=80)
    role = forms.ChoiceField(label=_("我是"), choices=SELF_SERVICE_ROLES, error_messages={
        "invalid_choice": _("请选择企业、高校院所或中试基地；活动组织方和技术经纪人注册后在账户中申请。")})
    privacy_consent = forms.BooleanField(
        label=_("我已阅读并同意下方的《个人信息保护说明》"), required=True,
        error_messages={"required": _("注册前请阅读并同意《个人信息保护说明》。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Consent comes last, right above the notice it refers to (templates/account/signup.html).
        self.order_fields([name for name in self.fields if name != "privacy_consent"] + ["privacy_consent"])


class RoleApplicationForm(forms.Form):
    role = forms.ChoiceField(label=_("申请角色"),
                             choices=[c for c in PlatformRole.choices if c[0] in APPLICABLE_ROLES])
    organization = forms.ModelChoiceField(label=_("所属机构"), queryset=Organization.objects.none(),
                                          empty_label=None)
    reason = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
                             help_text=_("请说明您在该机构的职务，以及组织活动或从事技术经纪的经历。"))
    attachment = forms.FileField(label=_("证明材料（可选）"), required=False,
                                 help_text=_("如技术经纪人证书、机构授权书；PDF、PNG 或 JPG，不超过 10 MB。"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(memberships__user=user)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            detected_extension(upload)
        return upload


class DeclineForm(forms.Form):
    decline_reason = forms.CharField(label=_("未通过原因"), widget=forms.Textarea(attrs={"rows": 3}),
                                     max_length=2000)


class OrganizationForm(forms.ModelForm):
    # county: the model's own field (a choice of taxonomy.County, optional, labelled 所在县(市、区)).
    kind = forms.ChoiceField(choices=[c for c in OrganizationKind.choices if c[0] != OrganizationKind.TRANSFER_STATION],
                             label=_("机构类型"))

    class Meta:
        model = Organization
        fields = ["name", "kind", "uscc", "county", "contact_name", "contact_phone", "contact_email"]

    def clean_uscc(self):
        return normalize_uscc(self.cleaned_data["uscc"])
