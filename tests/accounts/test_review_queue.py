"""Bureau staff have one queue in the Wagtail admin for pending role applications and organizations
waiting for verification, filterable, with the counts on the admin home."""

import pytest

from accounts import services
from accounts.models import PlatformRole, RoleApplication, User
from tests.factories import make_org, make_user

pytestmark = pytest.mark.django_db

QUEUE = "/admin/review-queue/"


@pytest.fixture
def waiting(db):
    """Two pending applications (one organizer, one agent), one declined, and two unverified organizations."""
    organizer_applicant = make_user(PlatformRole.ENTERPRISE, display_name="陈主任")
    agent_applicant = make_user(PlatformRole.UNIVERSITY, display_name="赵经纪")
    verified = make_org("agency", name="滨州科创技术转移中心", members=[organizer_applicant, agent_applicant])
    verified.verified = True
    verified.save()
    make_org("enterprise", name="待认证甲公司")
    make_org("institute", name="待认证乙研究院")
    organizer = services.submit_role_application(user=organizer_applicant, role=PlatformRole.ORGANIZER,
                                                 organization=verified, reason="组织对接会")
    agent = services.submit_role_application(user=agent_applicant, role=PlatformRole.AGENT,
                                             organization=verified, reason="从事技术经纪")
    declined = services.submit_role_application(user=agent_applicant, role=PlatformRole.ORGANIZER,
                                                organization=verified, reason="旧申请")
    declined.status, declined.decline_reason = "declined", "材料不全"
    declined.save()
    return {"organizer": organizer, "agent": agent, "declined": declined}


def test_the_admin_home_shows_how_many_wait(client, bureau_user, waiting):
    client.force_login(bureau_user)
    home = client.get("/admin/").content.decode()
    assert "2 份角色申请待审核" in home
    assert "2 个机构待认证" in home  # 甲公司 and 乙研究院; the agency is verified
    assert QUEUE in home


def test_one_queue_lists_pending_applications_and_unverified_organizations(client, bureau_user, waiting):
    client.force_login(bureau_user)
    page = client.get(QUEUE).content.decode()
    assert "陈主任" in page and "赵经纪" in page and "旧申请" not in page  # pending only, by default
    assert "待认证甲公司" in page and "待认证乙研究院" in page and "滨州科创技术转移中心</a>" not in page


@pytest.mark.parametrize("query,shown,hidden", [
    ("kind=role", ["组织对接会", "从事技术经纪"], ["待认证甲公司"]),
    ("kind=organization", ["待认证甲公司", "待认证乙研究院"], ["组织对接会"]),
    ("kind=role&role=agent", ["从事技术经纪"], ["组织对接会"]),
    ("kind=role&status=declined", ["旧申请", "材料不全"], ["组织对接会", "从事技术经纪"]),
    ("kind=organization&organization_kind=institute", ["待认证乙研究院"], ["待认证甲公司"]),
    ("q=乙研究院", ["待认证乙研究院"], ["待认证甲公司", "组织对接会"]),
])
def test_the_queue_filters(client, bureau_user, waiting, query, shown, hidden):
    client.force_login(bureau_user)
    page = client.get(f"{QUEUE}?{query}").content.decode()
    for text in shown:
        assert text in page, text
    for text in hidden:
        assert text not in page, text


def test_bureau_staff_approve_decline_and_verify_from_the_queue(client, bureau_user, waiting):
    client.force_login(bureau_user)
    organizer, agent = waiting["organizer"], waiting["agent"]
    response = client.post(f"{QUEUE}roles/{organizer.pk}/approve/")
    assert response.status_code == 302
    assert User.objects.get(pk=organizer.user_id).role == PlatformRole.ORGANIZER

    assert client.post(f"{QUEUE}roles/{agent.pk}/decline/", {"decline_reason": ""}).status_code == 302
    assert RoleApplication.objects.get(pk=agent.pk).status == "pending"  # no reason, no decision
    client.post(f"{QUEUE}roles/{agent.pk}/decline/", {"decline_reason": "请补充经纪人证书"})
    agent.refresh_from_db()
    assert (agent.status, agent.decline_reason, agent.decided_by) == ("declined", "请补充经纪人证书", bureau_user)

    org = make_org("enterprise", name="待认证丙公司")
    client.post(f"{QUEUE}organizations/{org.pk}/verify/")
    org.refresh_from_db()
    assert org.verified
    assert "0 份角色申请待审核" in client.get("/admin/").content.decode()


def test_people_other_than_bureau_staff_cannot_use_the_queue(client, waiting):
    organizer = waiting["organizer"]
    assert client.get(QUEUE).status_code == 302  # anonymous: to the admin login
    staff_not_bureau = make_user(PlatformRole.ORGANIZER, is_staff=True)
    client.force_login(staff_not_bureau)
    assert client.get(QUEUE).status_code in (302, 403)
    assert client.post(f"{QUEUE}roles/{organizer.pk}/approve/").status_code in (302, 403)
    assert User.objects.get(pk=organizer.user_id).role == PlatformRole.ENTERPRISE
