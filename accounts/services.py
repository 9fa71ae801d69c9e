from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .files import detected_extension
from .models import APPLICABLE_ROLES, Membership, Organization, PrivacyConsent, RoleApplication, User
from .permissions import is_bureau
from .privacy import PRIVACY_NOTICE_VERSION
from .states import MACHINE, RoleApplicationStatus
from .uscc import normalize_uscc


@transaction.atomic
def register_organization(*, user: User, name: str, kind: str, uscc: str, county=None, contact_name: str = "",
                          contact_phone: str = "", contact_email: str = "") -> Organization:
    """Create an organization and make its creator the admin. Validation (USCC check character,
    uniqueness) runs before anything is written."""
    org = Organization(name=name.strip(), kind=kind, uscc=normalize_uscc(uscc), county=county,
                       contact_name=contact_name, contact_phone=contact_phone,
                       contact_email=contact_email or user.email)
    org.full_clean()
    org.save()
    Membership.objects.create(user=user, organization=org, role=Membership.Role.ADMIN)
    return org


# ---- privacy consent -------------------------------------------------------------------------------

def record_privacy_consent(*, user: User, version: str | None = None) -> PrivacyConsent:
    """Store that this person accepted the privacy notice, with its version and the time."""
    return PrivacyConsent.objects.create(user=user, version=version or PRIVACY_NOTICE_VERSION)


# ---- role applications: applied for by the person, decided by bureau staff --------------------------

def submit_role_application(*, user: User, role: str, organization: Organization, reason: str,
                            attachment=None) -> RoleApplication:
    """A pending application. Refused (ValidationError) for a role that cannot be applied for, a role
    the person already holds, an organization they are not a member of, or while one is pending."""
    if role not in APPLICABLE_ROLES:
        raise ValidationError({"role": _("该角色不能申请。")})
    if user.role == role:
        raise ValidationError({"role": _("您已拥有该角色。")})
    if is_bureau(user):
        raise ValidationError({"role": _("科技局工作人员无需申请角色。")})
    if not Membership.objects.filter(user=user, organization=organization).exists():
        raise ValidationError({"organization": _("只能以您所在的机构申请。")})
    application = RoleApplication(user=user, role=role, organization=organization, reason=reason.strip())
    if attachment:
        detected_extension(attachment)  # refuses what is not a PDF or an image
        application.attachment = attachment
    application.full_clean(exclude=["attachment"])
    with transaction.atomic():
        # The partial unique constraint is the final word when two submissions race.
        if RoleApplication.objects.select_for_update().filter(user=user, role=role,
                                                              status=RoleApplicationStatus.PENDING).exists():
            raise ValidationError(_("您已有一份待审核的该角色申请。"))
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError as error:
            raise ValidationError(_("您已有一份待审核的该角色申请。")) from error
    return application


def _decide(application_id: int, *, by: User, target: str) -> RoleApplication:
    if not is_bureau(by):
        raise PermissionDenied(_("只有科技局工作人员可以审核角色申请。"))
    application = RoleApplication.objects.select_for_update(of=("self",)).select_related(
        "user", "organization").get(pk=application_id)
    MACHINE.check(application.status, target)  # refused with "该申请已审核，不能再次处理。"
    application.status = target
    application.decided_by = by
    application.decided_at = timezone.now()
    return application


@transaction.atomic
def approve_role_application(application_id: int, *, by: User) -> RoleApplication:
    """Grant the role. The applicant's organization must be verified first: a granted organizer or
    agent acts for a body the bureau has checked."""
    application = _decide(application_id, by=by, target=RoleApplicationStatus.APPROVED)
    if application.organization is None or not application.organization.verified:
        raise ValidationError(_("请先认证申请人所在的机构，再批准角色申请。"), code="unverified")
    application.save(update_fields=["status", "decided_by", "decided_at"])
    User.objects.filter(pk=application.user_id).update(role=application.role)
    transaction.on_commit(lambda: _tell_applicant(application))
    return application


@transaction.atomic
def decline_role_application(application_id: int, *, by: User, reason: str) -> RoleApplication:
    if not (reason or "").strip():
        raise ValidationError({"decline_reason": _("请填写未通过的原因。")})
    application = _decide(application_id, by=by, target=RoleApplicationStatus.DECLINED)
    application.decline_reason = reason.strip()
    application.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    transaction.on_commit(lambda: _tell_applicant(application))
    return application


@transaction.atomic
def grant_role(*, user: User, role: str, by: User | None, organization: Organization | None = None) -> None:
    """Bureau staff (or the demo loader) grant a role without an application from the person; it is
    recorded as an approved application so every granted role has a record."""
    pending = RoleApplication.objects.select_for_update().filter(
        user=user, role=role, status=RoleApplicationStatus.PENDING).first()
    if pending is None and not RoleApplication.objects.filter(
            user=user, role=role, status=RoleApplicationStatus.APPROVED).exists():
        pending = RoleApplication.objects.create(user=user, role=role, organization=organization,
                                                 reason=_("由科技局直接授予。"))
    if pending is not None:
        pending.status = RoleApplicationStatus.APPROVED
        pending.decided_by = by
        pending.decided_at = timezone.now()
        pending.save(update_fields=["status", "decided_by", "decided_at"])
    User.objects.filter(pk=user.pk).update(role=role)
    user.role = role


def _tell_applicant(application: RoleApplication) -> None:
    context = {"application": application, "site_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")}
    subject = render_to_string("accounts/email/role_application_decided_subject.txt", context).strip()
    body = render_to_string("accounts/email/role_application_decided.txt", context)
    send_mail(subject, body, None, [application.user.email])


@transaction.atomic
def verify_organization(organization_id: int, *, by: User) -> Organization:
    """Bureau staff mark an organization verified after checking its business licence."""
    if not is_bureau(by):
        raise PermissionDenied(_("只有科技局工作人员可以认证机构。"))
    organization = Organization.objects.select_for_update().get(pk=organization_id)
    if not organization.verified:
        organization.verified = True
        organization.save(update_fields=["verified"])
    return organization
