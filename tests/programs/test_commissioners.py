"""The commissioner flow once through its real pages: an enterprise proposes, both sides confirm, the
bureau approves, the commissioner logs a month; the public profile links the institution's results."""

from datetime import date

import pytest
from django.test import Client

from marketplace.listings.models import AchievementPage, DemandPage
from marketplace.programs.models import CommissionerAssignment, ServiceLog
from marketplace.programs.states import AssignmentStatus
from tests.factories import county, field, make_user
from tests.search.helpers import publish

from .builders import approved, cast

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(c, **overrides) -> dict:
    data = {"commissioner_email": c.commissioner.email, "institution": c.institution.pk,
            "enterprise": c.enterprise.pk, "field": field("aluminium").pk, "county": county("boxing").pk,
            "term_start": "2023-03-01", "term_end": "2024-02-29", "tasks": "压铸缺陷诊断与工艺优化"}
    data.update(overrides)
    return data


def test_propose_confirm_approve_log_and_profile(site):
    c = cast()
    result = publish(c.academic_member, c.institution, AchievementPage, title="真空辅助压铸工艺")
    publish(c.enterprise_member, c.enterprise, DemandPage, title="企业自己的需求")  # not the institution's

    response = client_for(c.enterprise_member).post("/programs/commissioners/new/", form(c))
    assert response.status_code == 302, response.content.decode()[:2000]
    a = CommissionerAssignment.objects.get()
    assert (a.status, a.commissioner, a.county.slug) == (AssignmentStatus.PROPOSED, c.commissioner, "boxing")

    for member in (c.enterprise_member, c.academic_member):
        page = client_for(member).get(f"/programs/commissioners/{a.pk}/").content.decode()
        assert "名义确认" in page
        assert client_for(member).post(f"/programs/commissioners/{a.pk}/confirm/").status_code == 302
    a.refresh_from_db()
    assert a.status == AssignmentStatus.CONFIRMED

    bureau = client_for(c.bureau)
    assert "科技局审核" in bureau.get("/programs/").content.decode()
    assert bureau.post(f"/programs/commissioners/{a.pk}/decide/", {"decision": "approve"}).status_code == 302
    a.refresh_from_db()
    assert a.status == AssignmentStatus.APPROVED and a.approved_on is not None

    commissioner = client_for(c.commissioner)
    log = {"month": "2023-05-01", "visits": "3", "problems_solved": "2", "summary": "解决压铸件气孔问题"}
    assert commissioner.post(f"/programs/commissioners/{a.pk}/logs/new/", log).status_code == 302
    assert ServiceLog.objects.get().visits == 3
    again = commissioner.post(f"/programs/commissioners/{a.pk}/logs/new/", log)
    assert again.status_code == 200 and "该月份的服务月志已填写" in again.content.decode()
    outside = commissioner.post(f"/programs/commissioners/{a.pk}/logs/new/", {**log, "month": "2024-06-01"})
    assert "不在服务期内" in outside.content.decode()

    # The public profile: the institution's results, never the logs.
    public = Client().get(f"/programs/commissioners/{a.pk}/").content.decode()
    assert result.title in public and result.url in public and "企业自己的需求" not in public
    assert "解决压铸件气孔问题" not in public
    assert c.commissioner.email not in public  # the login e-mail is never published
    assert "解决压铸件气孔问题" in client_for(c.enterprise_member).get(
        f"/programs/commissioners/{a.pk}/").content.decode()


@pytest.mark.parametrize(("overrides", "field_name", "message"), [
    ({"term_end": "2023-01-01"}, "term_end", "不能早于开始日期"),
    ({"commissioner_email": "nobody@example.com"}, "commissioner_email", "未找到该邮箱的注册用户"),
    ({"term_start": "明年"}, "term_start", "有效的日期"),
])
def test_bad_input_comes_back_as_a_field_error_in_chinese(overrides, field_name, message):
    c = cast()
    response = client_for(c.enterprise_member).post("/programs/commissioners/new/", form(c, **overrides))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors.get(field_name)), response.context["form"].errors
    assert not CommissionerAssignment.objects.exists()


def test_the_commissioner_must_belong_to_the_institution():
    c = cast()
    stranger = make_user("university")
    response = client_for(c.enterprise_member).post("/programs/commissioners/new/",
                                                    form(c, commissioner_email=stranger.email))
    assert "特派员须为派出单位的成员" in response.content.decode()
    assert not CommissionerAssignment.objects.exists()


def test_the_same_commissioner_is_not_sent_to_the_same_enterprise_twice_in_one_term():
    c = cast()
    first = approved(c, on=date(2023, 4, 1))
    overlapping = client_for(c.enterprise_member).post("/programs/commissioners/new/",
                                                       form(c, term_start="2024-01-01", term_end="2024-12-31"))
    assert "该特派员在此服务期内已派驻该企业" in overlapping.content.decode()
    later = client_for(c.enterprise_member).post("/programs/commissioners/new/",
                                                 form(c, term_start="2024-03-01", term_end="2025-02-28"))
    assert later.status_code == 302
    assert CommissionerAssignment.objects.exclude(pk=first.pk).count() == 1


def test_only_the_commissioner_of_an_approved_assignment_writes_logs():
    c = cast()
    a = approved(c, on=date(2023, 4, 1))
    for user in (c.enterprise_member, c.academic_member, c.bureau):
        assert client_for(user).get(f"/programs/commissioners/{a.pk}/logs/new/").status_code == 403
    assert client_for(c.commissioner).get(f"/programs/commissioners/{a.pk}/logs/new/").status_code == 200
