"""Organizer and agent are applied for, with an organization and a reason, and granted or declined by
bureau staff. The applicant is told by e-mail."""

import itertools
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import services
from accounts.models import PlatformRole, RoleApplication, User
from accounts.states import MACHINE, ROLE_APPLICATION_TRANSITIONS, RoleApplicationStatus
from tests.factories import make_org, make_user

pytestmark = pytest.mark.django_db

S = RoleApplicationStatus
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_files_in_tmp(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "public"


@pytest.fixture
def applicant(db):
    return make_user(PlatformRole.ENTERPRISE, email="chen@kechuang.example.cn", display_name="陈主任")


@pytest.fixture
def agency(applicant):
    org = make_org("agency", name="滨州科创技术转移中心", members=[applicant])
    org.verified = True
    org.save()
    return org


def _apply(applicant, agency, role=PlatformRole.ORGANIZER):
    return services.submit_role_application(user=applicant, role=role, organization=agency,
                                            reason="负责本机构的技术对接活动。")


# ---- the transition table, every pair ------------------------------------------------------------

@pytest.mark.parametrize("current,target", list(itertools.product(S.values, S.values)))
def test_role_application_transitions_every_pair(current, target):
    allowed = {("pending", "approved"), ("pending", "declined")}  # worked out from the rule, not the table
    assert MACHINE.can(current, target) is ((current, target) in allowed)
    assert set(ROLE_APPLICATION_TRANSITIONS) == set(S.values)


@pytest.mark.parametrize("decided", [S.APPROVED, S.DECLINED])
def test_a_decided_application_cannot_be_decided_again(applicant, agency, bureau_user, decided):
    application = _apply(applicant, agency)
    if decided == S.APPROVED:
        services.approve_role_application(application.pk, by=bureau_user)
    else:
        services.decline_role_application(application.pk, by=bureau_user, reason="材料不全")
    with pytest.raises(ValidationError):
        services.approve_role_application(application.pk, by=bureau_user)
    with pytest.raises(ValidationError):
        services.decline_role_application(application.pk, by=bureau_user, reason="再次处理")
    application.refresh_from_db()
    assert application.status == decided


# ---- submitting --------------------------------------------------------------------------------

def test_an_application_is_made_for_an_organization_the_person_belongs_to(applicant):
    stranger_org = make_org("agency", name="别人的机构")
    with pytest.raises(ValidationError) as error:
        _apply(applicant, stranger_org)
    assert "organization" in error.value.message_dict


def test_one_pending_application_per_role(applicant, agency):
    _apply(applicant, agency)
    with pytest.raises(ValidationError):
        _apply(applicant, agency)
    assert RoleApplication.objects.filter(user=applicant).count() == 1
    _apply(applicant, agency, role=PlatformRole.AGENT)  # the other role is a separate application
    assert RoleApplication.objects.filter(user=applicant).count() == 2


def test_only_organizer_and_agent_can_be_applied_for(applicant, agency):
    for role in (PlatformRole.BUREAU, PlatformRole.ENTERPRISE):
        with pytest.raises(ValidationError):
            _apply(applicant, agency, role=role)
    assert not RoleApplication.objects.exists()


# ---- deciding ----------------------------------------------------------------------------------

def test_approval_grants_the_role_records_the_decision_and_tells_the_applicant(
        applicant, agency, bureau_user, django_capture_on_commit_callbacks):
    application = _apply(applicant, agency)
    assert User.objects.get(pk=applicant.pk).role == PlatformRole.ENTERPRISE
    with_mail = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_role_application(application.pk, by=bureau_user)

    application.refresh_from_db()
    assert application.status == S.APPROVED
    assert application.decided_by == bureau_user and application.decided_at is not None
    assert User.objects.get(pk=applicant.pk).role == PlatformRole.ORGANIZER
    message = mail.outbox[with_mail]
    assert message.to == ["chen@kechuang.example.cn"]
    assert "已批准" in message.subject and "活动组织方" in message.subject
    assert "/accounts/roles/" in message.body


def test_decline_needs_a_reason_keeps_the_role_and_tells_the_applicant_why(
        applicant, agency, bureau_user, django_capture_on_commit_callbacks):
    application = _apply(applicant, agency, role=PlatformRole.AGENT)
    with pytest.raises(ValidationError):
        services.decline_role_application(application.pk, by=bureau_user, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_role_application(application.pk, by=bureau_user, reason="请上传技术经纪人证书")

    application.refresh_from_db()
    assert application.status == S.DECLINED and application.decline_reason == "请上传技术经纪人证书"
    assert User.objects.get(pk=applicant.pk).role == PlatformRole.ENTERPRISE
    assert "未通过" in mail.outbox[-1].subject and "请上传技术经纪人证书" in mail.outbox[-1].body
    _apply(applicant, agency, role=PlatformRole.AGENT)  # declined: the person may apply again


def test_only_bureau_staff_decide(applicant, agency):
    application = _apply(applicant, agency)
    other = make_user(PlatformRole.ORGANIZER)
    with pytest.raises(PermissionDenied):
        services.approve_role_application(application.pk, by=other)
    with pytest.raises(PermissionDenied):
        services.decline_role_application(application.pk, by=applicant, reason="自己拒绝")
    application.refresh_from_db()
    assert application.status == S.PENDING


def test_approval_waits_for_the_organization_to_be_verified(applicant, bureau_user):
    unverified = make_org("agency", name="未认证机构", members=[applicant])
    application = _apply(applicant, unverified)
    with pytest.raises(ValidationError):
        services.approve_role_application(application.pk, by=bureau_user)
    application.refresh_from_db()
    assert application.status == S.PENDING and User.objects.get(pk=applicant.pk).role == PlatformRole.ENTERPRISE
    services.verify_organization(unverified.pk, by=bureau_user)
    services.approve_role_application(application.pk, by=bureau_user)
    assert User.objects.get(pk=applicant.pk).role == PlatformRole.ORGANIZER


# ---- the account page and its attachment ---------------------------------------------------------

def test_applying_through_the_account_page_with_a_pdf(client, applicant, agency, settings):
    client.force_login(applicant)
    page = client.get("/accounts/roles/")
    assert page.status_code == 200 and "滨州科创技术转移中心" in page.content.decode()
    response = client.post("/accounts/roles/", {
        "role": "agent", "organization": agency.pk, "reason": "持有技术经纪人证书，从事成果转化五年。",
        "attachment": SimpleUploadedFile("证书.html", PDF, content_type="text/html")})
    assert response.status_code == 302
    application = RoleApplication.objects.get(user=applicant)
    assert (application.role, application.status, application.organization) == ("agent", "pending", agency)

    # Stored under a random name with the extension of what the bytes are, outside public media.
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / application.attachment.name
    assert stored.read_bytes() == PDF and stored.suffix == ".pdf" and "证书" not in stored.name
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.pdf"))

    download = client.get(f"/accounts/roles/{application.pk}/attachment/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    listing = client.get("/accounts/roles/").content.decode()
    assert "待审核" in listing and "技术经纪人" in listing


def test_the_attachment_is_for_the_applicant_and_the_bureau_only(client, applicant, agency, bureau_user):
    application = services.submit_role_application(
        user=applicant, role=PlatformRole.AGENT, organization=agency, reason="理由",
        attachment=SimpleUploadedFile("scan.pdf", PDF))
    url = f"/accounts/roles/{application.pk}/attachment/"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(make_user(PlatformRole.ENTERPRISE))
    assert client.get(url).status_code == 404
    client.force_login(bureau_user)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("name,content", [
    ("page.html", b"<html><script>alert(1)</script></html>"),
    ("image.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("empty.pdf", b""),
])
def test_an_attachment_that_is_not_a_pdf_or_image_is_refused_with_a_chinese_message(client, applicant, agency,
                                                                                    name, content):
    client.force_login(applicant)
    response = client.post("/accounts/roles/", {
        "role": "organizer", "organization": agency.pk, "reason": "理由",
        "attachment": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    errors = response.context["form"].errors["attachment"]
    assert any("PDF" in e or "文件" in e for e in errors)
    assert not RoleApplication.objects.exists()


def test_a_person_without_an_organization_is_asked_to_register_one_first(client, applicant):
    client.force_login(applicant)
    page = client.get("/accounts/roles/").content.decode()
    assert "请先登记或加入您所在的机构" in page
