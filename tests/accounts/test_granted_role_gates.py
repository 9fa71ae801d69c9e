"""A self-registered account cannot reach agreement entry, deal creation or event creation until a
bureau member approves its role application; then it can."""

import pytest

from accounts.models import Organization, PlatformRole, RoleApplication
from accounts.permissions import has_granted_role, is_agent, is_organizer, is_verified_member
from tests.accounts.signup import sign_up_and_confirm
from tests.factories import make_org, make_uscc, make_user

pytestmark = pytest.mark.django_db

AGREEMENT_ENTRY, DEAL_CREATION, EVENT_CREATION = "/agreements/new/", "/deals/new/", "/events/manage/new/"


def _status(client, url: str) -> int:
    return client.get(url).status_code


def _sign_up_with_organization(client, email: str, org_name: str) -> Organization:
    sign_up_and_confirm(client, email, name="陈主任")
    response = client.post("/accounts/organizations/new/", {"name": org_name, "kind": "agency",
                                                            "uscc": make_uscc(), "contact_name": "陈主任"})
    assert response.status_code == 302
    return Organization.objects.get(name=org_name)


def _apply(client, role: str, org: Organization) -> RoleApplication:
    response = client.post("/accounts/roles/", {"role": role, "organization": org.pk,
                                                "reason": "本机构承办全市技术对接活动。"})
    assert response.status_code == 302
    return RoleApplication.objects.get(organization=org, role=role, status="pending")


def test_organizer_entry_waits_for_the_bureau_to_approve(client, bureau_user, site):
    org = _sign_up_with_organization(client, "chen@huodong.example.cn", "滨州技术对接活动中心")
    for url in (AGREEMENT_ENTRY, DEAL_CREATION, EVENT_CREATION):
        assert _status(client, url) == 403, url

    application = _apply(client, "organizer", org)
    for url in (AGREEMENT_ENTRY, EVENT_CREATION):
        assert _status(client, url) == 403, f"{url} reachable while the application is pending"

    bureau = client.__class__()
    bureau.force_login(bureau_user)
    bureau.post(f"/admin/review-queue/organizations/{org.pk}/verify/")
    bureau.post(f"/admin/review-queue/roles/{application.pk}/approve/")

    assert _status(client, AGREEMENT_ENTRY) == 200
    assert _status(client, EVENT_CREATION) == 200
    assert _status(client, DEAL_CREATION) == 403  # organizer was granted, agent was not


def test_deal_creation_waits_for_an_approved_agent_application(client, bureau_user, site):
    org = _sign_up_with_organization(client, "zhao@jingji.example.cn", "滨州技术经纪事务所")
    application = _apply(client, "agent", org)
    assert _status(client, DEAL_CREATION) == 403

    bureau = client.__class__()
    bureau.force_login(bureau_user)
    bureau.post(f"/admin/review-queue/roles/{application.pk}/decline/", {"decline_reason": "请先认证机构"})
    assert _status(client, DEAL_CREATION) == 403  # declined

    again = _apply_again(client, "agent", org)
    bureau.post(f"/admin/review-queue/organizations/{org.pk}/verify/")
    bureau.post(f"/admin/review-queue/roles/{again.pk}/approve/")
    assert _status(client, DEAL_CREATION) == 200
    assert _status(client, AGREEMENT_ENTRY) == 403 and _status(client, EVENT_CREATION) == 403


def _apply_again(client, role, org) -> RoleApplication:
    client.post("/accounts/roles/", {"role": role, "organization": org.pk, "reason": "已补充材料"})
    return RoleApplication.objects.get(organization=org, role=role, status="pending")


# ---- the predicates other code uses --------------------------------------------------------------

def test_has_granted_role_reads_the_granted_role_and_refuses_self_declared_ones():
    agent = make_user(PlatformRole.AGENT)
    assert is_agent(agent) and not is_organizer(agent)
    agent.is_active = False
    assert not is_agent(agent)
    with pytest.raises(ValueError):
        has_granted_role(agent, PlatformRole.ENTERPRISE)


def test_is_verified_member_needs_both_membership_and_verification():
    member, outsider = make_user(), make_user()
    org = make_org("enterprise", members=[member])
    assert not is_verified_member(member, org)  # not yet verified
    org.verified = True
    org.save()
    assert is_verified_member(member, org)
    assert not is_verified_member(outsider, org)
    assert not is_verified_member(member, None)
