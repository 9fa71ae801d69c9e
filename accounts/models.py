from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .files import attachment_upload_to, private_storage
from .states import RoleApplicationStatus
from .uscc import normalize_uscc, validate_uscc


class PlatformRole(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业用户")
    UNIVERSITY = "university", _("高校院所用户")
    PILOT_BASE = "pilot_base", _("中试基地运营方")
    AGENT = "agent", _("技术经纪人")
    ORGANIZER = "organizer", _("活动组织方")
    BUREAU = "bureau", _("科技局工作人员")


# Roles whose holders feed official figures (agreements, events, deals) are granted by bureau staff:
# organizer and agent through an approved RoleApplication, bureau by appointment. A visitor signing
# up may only say which kind of organization they work for.
GRANTED_ROLES = (PlatformRole.AGENT, PlatformRole.ORGANIZER, PlatformRole.BUREAU)
APPLICABLE_ROLES = (PlatformRole.AGENT, PlatformRole.ORGANIZER)
SELF_SERVICE_ROLES = [c for c in PlatformRole.choices if c[0] not in GRANTED_ROLES]


def normalize_login_email(email: str) -> str:
    """One spelling per address, so uniqueness holds whatever case someone types (allauth does the same)."""
    return BaseUserManager.normalize_email(email or "").strip().lower()


class UserManager(BaseUserManager):
    """E-mail is the identifier; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=normalize_login_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not (extra_fields["is_staff"] and extra_fields["is_superuser"]):
            raise ValueError("A superuser needs is_staff=True and is_superuser=True")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email: str) -> "User":
        return self.get(email=normalize_login_email(email))


class User(AbstractUser):
    username = None
    email = models.EmailField(_("邮箱"), unique=True,
                              error_messages={"unique": _("该邮箱已注册。")})
    role = models.CharField(_("平台角色"), max_length=20, choices=PlatformRole.choices,
                            default=PlatformRole.ENTERPRISE)
    display_name = models.CharField(_("姓名"), max_length=80, blank=True)
    phone = models.CharField(_("手机"), max_length=30, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    @property
    def is_bureau(self) -> bool:
        return self.is_superuser or self.role == PlatformRole.BUREAU

    def clean(self) -> None:
        super().clean()
        self.email = normalize_login_email(self.email)

    def save(self, *args, **kwargs) -> None:
        self.email = normalize_login_email(self.email)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.display_name or self.email

    # Sign-up asks for one name (display_name), never first/last names. Wagtail's admin names people by
    # get_full_name() (the submitter column of its moderation lists), so it returns that name, and the
    # e-mail for an account that has none, never an empty string.
    def get_full_name(self) -> str:
        return self.display_name or super().get_full_name() or self.email

    def get_short_name(self) -> str:
        return self.get_full_name()


class OrganizationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    UNIVERSITY = "university", _("高校")
    INSTITUTE = "institute", _("科研院所")
    PILOT_BASE_OPERATOR = "pilot_base_operator", _("中试基地运营方")
    AGENCY = "agency", _("服务机构")
    # Designated by the bureau (admin or bulk import), never chosen at sign-up: its verified members see
    # their county's figures (marketplace.programs).
    TRANSFER_STATION = "transfer_station", _("县级技术转移工作站")


ACADEMIC_KINDS = (OrganizationKind.UNIVERSITY, OrganizationKind.INSTITUTE)


class Organization(models.Model):
    name = models.CharField(_("机构名称"), max_length=200)
    kind = models.CharField(_("机构类型"), max_length=30, choices=OrganizationKind.choices)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc],
                            error_messages={
                                "unique": _("该统一社会信用代码已注册。")})
    county = models.ForeignKey("taxonomy.County", verbose_name=_("所在县(市、区)"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="organizations")
    contact_name = models.CharField(_("联系人"), max_length=80, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    verified = models.BooleanField(_("已认证"), default=False,
                                   help_text=_("科技局核验营业执照后勾选"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.uscc = normalize_uscc(self.uscc)


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("成员")
        ADMIN = "admin", _("管理员")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("机构内角色"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("user", "organization")]
        verbose_name = _("机构成员")
        verbose_name_plural = _("机构成员")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


class PrivacyConsent(models.Model):
    """Proof that a person accepted a given version of the privacy notice (个人信息保护法 art. 14):
    one row per acceptance, never edited."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="privacy_consents")
    version = models.CharField(_("隐私政策版本"), max_length=20)
    consented_at = models.DateTimeField(_("同意时间"), default=timezone.now)

    class Meta:
        verbose_name = _("隐私政策同意记录")
        verbose_name_plural = _("隐私政策同意记录")
        ordering = ["-consented_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.version}"


class RoleApplication(models.Model):
    """A request to act as 活动组织方 or 技术经纪人 for an organization. Bureau staff decide; approval
    grants the role (accounts.services.approve_role_application)."""

    Status = RoleApplicationStatus

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_applications",
                             verbose_name=_("申请人"))
    role = models.CharField(_("申请角色"), max_length=20,
                            choices=[c for c in PlatformRole.choices if c[0] in APPLICABLE_ROLES])
    # Nullable only for applications carried over from before roles were granted (see migration 0004).
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True,
                                     related_name="role_applications", verbose_name=_("所属机构"))
    reason = models.TextField(_("申请理由"))
    attachment = models.FileField(_("证明材料"), upload_to=attachment_upload_to, storage=private_storage,
                                  blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=RoleApplicationStatus.choices,
                              default=RoleApplicationStatus.PENDING, db_index=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("审核人"))
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decline_reason = models.TextField(_("未通过原因"), blank=True)

    class Meta:
        verbose_name = _("角色申请")
        verbose_name_plural = _("角色申请")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], condition=Q(status="pending"),
                                    name="accounts_one_pending_role_application"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.get_status_display()}"

    def clean(self) -> None:
        if self.role and self.role not in APPLICABLE_ROLES:
            raise ValidationError({"role": _("该角色不能申请。")})
        if self.status == RoleApplicationStatus.DECLINED and not self.decline_reason.strip():
            raise ValidationError({"decline_reason": _("请填写未通过的原因。")})
# Privacy models live in their own module; imported here so Django registers them with the accounts app.
from .privacy.models import ContactReveal  # noqa: E402, F401
