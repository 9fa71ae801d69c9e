from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .uscc import normalize_uscc, validate_uscc


class PlatformRole(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业用户 Enterprise")
    UNIVERSITY = "university", _("高校院所用户 University / institute")
    PILOT_BASE = "pilot_base", _("中试基地运营方 Pilot-base operator")
    AGENT = "agent", _("技术经纪人 Tech-transfer agent")
    ORGANIZER = "organizer", _("活动组织方 Event organizer")
    BUREAU = "bureau", _("科技局工作人员 Bureau staff")


# Roles a visitor may pick when signing up; bureau staff are appointed, never self-declared.
SELF_SERVICE_ROLES = [c for c in PlatformRole.choices if c[0] != PlatformRole.BUREAU]


class User(AbstractUser):
    role = models.CharField(_("平台角色 role"), max_length=20, choices=PlatformRole.choices,
                            default=PlatformRole.ENTERPRISE)
    display_name = models.CharField(_("姓名 name"), max_length=80, blank=True)
    phone = models.CharField(_("手机 phone"), max_length=30, blank=True)

    @property
    def is_bureau(self) -> bool:
        return self.is_superuser or self.role == PlatformRole.BUREAU

    def __str__(self) -> str:
        return self.display_name or self.email or self.username


class OrganizationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业 Enterprise")
    UNIVERSITY = "university", _("高校 University")
    INSTITUTE = "institute", _("科研院所 Research institute")
    PILOT_BASE_OPERATOR = "pilot_base_operator", _("中试基地运营方 Pilot-base operator")
    AGENCY = "agency", _("服务机构 Agency")


ACADEMIC_KINDS = (OrganizationKind.UNIVERSITY, OrganizationKind.INSTITUTE)


class Organization(models.Model):
    name = models.CharField(_("机构名称 name"), max_length=200)
    kind = models.CharField(_("机构类型 kind"), max_length=30, choices=OrganizationKind.choices)
    uscc = models.CharField(_("统一社会信用代码 USCC"), max_length=18, unique=True, validators=[validate_uscc],
                            error_messages={
                                "unique": _("该统一社会信用代码已注册。(This USCC is already registered.)")})
    county = models.ForeignKey("taxonomy.County", verbose_name=_("所在县(市、区) county"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="organizations")
    contact_name = models.CharField(_("联系人 contact"), max_length=80, blank=True)
    contact_phone = models.CharField(_("联系电话 phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("联系邮箱 e-mail"), blank=True)
    verified = models.BooleanField(_("已认证 verified"), default=False,
                                   help_text=_("科技局核验营业执照后勾选 Checked by bureau staff"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("机构 organization")
        verbose_name_plural = _("机构 organizations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.uscc = normalize_uscc(self.uscc)

    @property
    def is_academic(self) -> bool:
        return self.kind in ACADEMIC_KINDS


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("成员 member")
        ADMIN = "admin", _("管理员 admin")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("机构内角色 role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("user", "organization")]
        verbose_name = _("机构成员 membership")
        verbose_name_plural = _("机构成员 memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


# Privacy models live in their own module; imported here so Django registers them with the accounts app.
from .privacy.models import ContactReveal  # noqa: E402, F401
