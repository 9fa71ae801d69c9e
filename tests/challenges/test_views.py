"""The pages people use: the 揭榜挂帅 section, a challenge's page for each kind of visitor, the forms
(errors in Chinese, then English; nothing half-saved) and the actions behind the buttons."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.challenges import selectors, services
from marketplace.challenges.models import ChallengeApplication, ChallengeOutcome, ChallengePage
from marketplace.challenges.states import ApplicationStatus, ChallengeStatus
from marketplace.core.submissions import FormSubmission
from tests.factories import county, field, make_org, make_user

from .builders import academic, apply_as, challenge_data, published_challenge

pytestmark = pytest.mark.django_db
C = ChallengeStatus


def challenge_post(org, **overrides) -> dict:
    data = {
        "title": "盐碱地耐盐小麦新品种选育技术攻关", "organization": org.pk, "field": field("seed-industry").pk,
        "county": county("wudi").pk, "keywords": "耐盐碱,小麦", "problem": "滨海盐碱地小麦亩产不足300公斤。",
        "goals": "在含盐量0.3%土壤中亩产达到450公斤以上。", "bounty": "800000",
        "application_deadline": (timezone.localdate() + dt.timedelta(days=45)).isoformat(),
        "form_token": uuid.uuid4().hex,
    }
    data.update(overrides)
    return data


@pytest.fixture
def owner_client(client, site, enterprise_user, enterprise):
    client.force_login(enterprise_user)
    return client


@pytest.fixture
def challenge(site, enterprise_user, enterprise):
    return published_challenge(enterprise_user, enterprise)


# -- posting ------------------------------------------------------------------------------------------

def test_an_enterprise_posts_a_challenge_for_review(owner_client, enterprise):
    assert owner_client.get("/challenges/new/").status_code == 200
    response = owner_client.post("/challenges/new/", challenge_post(enterprise))
    assert response.status_code == 302 and response["Location"] == "/challenges/mine/"
    page = ChallengePage.objects.get()
    assert page.workflow_in_progress and not page.live
    assert (page.bounty, page.organization) == (Decimal("800000"), enterprise)
    assert ChallengeOutcome.objects.get(challenge=page).status == C.OPEN
    mine = owner_client.get("/challenges/mine/").content.decode()
    assert "盐碱地耐盐小麦" in mine and 'data-moderation="in_review"' in mine


def _errors(response):
    assert response.status_code == 200, "a bad form is shown again, not redirected"
    return response.context["form"].errors


@pytest.mark.parametrize("overrides, field_name, message", [
    ({"bounty": "-1"}, "bounty", "金额不能为负数。"),
    ({"bounty": "八十万"}, "bounty", "请输入数字（元）。"),
    ({"bounty": "1.234"}, "bounty", "最多2位小数。"),
    ({"application_deadline": "2020-01-01"}, "application_deadline",
     "揭榜截止日期不能早于今天。"),
    ({"application_deadline": "明天"}, "application_deadline",
     "请输入有效日期，如 2023-06-30。"),
    ({"title": ""}, "title", "此项为必填项。"),
    ({"problem": ""}, "problem", "此项为必填项。"),
])
def test_bad_input_is_a_bilingual_field_error_and_nothing_is_saved(owner_client, enterprise, overrides, field_name,
                                                                     message):
    errors = _errors(owner_client.post("/challenges/new/", challenge_post(enterprise, **overrides)))
    assert message in errors[field_name]
    assert not ChallengePage.objects.exists()
    assert not ChallengeOutcome.objects.exists()


def test_a_deadline_after_the_listing_expires_is_refused(owner_client, enterprise):
    expires = timezone.localdate() + dt.timedelta(days=10)
    errors = _errors(owner_client.post("/challenges/new/", challenge_post(enterprise, expires_at=expires.isoformat())))
    assert "揭榜截止日期不能晚于有效期" in errors["application_deadline"][0]


def test_a_form_posted_twice_creates_one_challenge(owner_client, enterprise):
    data = challenge_post(enterprise)
    assert owner_client.post("/challenges/new/", data).status_code == 302
    again = owner_client.post("/challenges/new/", data, follow=True)
    assert again.redirect_chain == [("/challenges/mine/", 302)] and "此表单已提交过" in again.content.decode()
    assert ChallengePage.objects.count() == 1


def test_a_failure_after_placing_the_page_rolls_everything_back(site, enterprise_user, enterprise, monkeypatch):
    """The page, its outcome row and the form token are written together or not at all."""
    def broken(page, user):
        raise RuntimeError("workflow unavailable")

    from marketplace.core import pages

    # The page is placed and submitted by the shared page-placing mechanism; break its last step.
    monkeypatch.setattr(pages, "submit_for_moderation", broken)
    with pytest.raises(RuntimeError):
        services.create_challenge(user=enterprise_user, data=challenge_data(enterprise), submission_token="t-1")
    assert not ChallengePage.objects.exists()
    assert not ChallengeOutcome.objects.exists()
    assert not FormSubmission.objects.filter(token="t-1").exists()


def test_a_university_cannot_post_a_challenge(client, site, university_user, university):
    client.force_login(university_user)
    response = client.get("/challenges/new/")
    assert response.status_code == 302 and response["Location"] == "/accounts/organizations/new/"


def test_the_owner_edits_through_review(owner_client, challenge, enterprise):
    response = owner_client.post(f"/challenges/{challenge.pk}/edit/",
                                 challenge_post(enterprise, title="修订：压铸件缺陷控制", bounty="1600000"))
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.title != "修订：压铸件缺陷控制"
    assert challenge.get_latest_revision_as_object().bounty == Decimal("1600000")


def test_others_cannot_edit_or_preview(client, challenge):
    outsider = make_user("enterprise")
    make_org("enterprise", members=[outsider])
    client.force_login(outsider)
    assert client.get(f"/challenges/{challenge.pk}/edit/").status_code == 403
    assert client.get(f"/challenges/{challenge.pk}/preview/").status_code == 404


# -- the section and the page -----------------------------------------------------------------------

def test_the_index_lists_open_awarded_and_subsidized_challenges(client, site, enterprise_user, enterprise):
    bureau = make_user("bureau")
    open_one = published_challenge(enterprise_user, enterprise, title="开放中的榜单")
    awarded = published_challenge(enterprise_user, enterprise, title="已选定的榜单")
    subsidized = published_challenge(enterprise_user, enterprise, title="已补助的榜单")
    closed = published_challenge(enterprise_user, enterprise, title="已关闭的榜单")
    for page in (awarded, subsidized):
        services.select_application(user=enterprise_user, application=apply_as(page, *academic(name="滨州医学院")))
    services.grant_subsidy(user=bureau, challenge=subsidized, amount=Decimal("300000"),
                           granted_on=timezone.localdate())
    services.close_without_award(user=enterprise_user, challenge=closed)

    html = client.get("/challenges/").content.decode()
    sections = {name: html.split(f'id="{name}"')[1].split("</section>")[0]
                for name in ("open", "awarded", "subsidized")}
    assert "开放中的榜单" in sections["open"] and "150万元" in sections["open"]
    assert open_one.application_deadline.isoformat() in sections["open"]
    assert "已选定的榜单" in sections["awarded"] and "滨州医学院" in sections["awarded"]
    assert "已补助的榜单" in sections["subsidized"] and "30万元" in sections["subsidized"]
    assert "已关闭的榜单" not in html


def test_the_section_is_in_the_navigation(client, site):
    html = client.get("/").content.decode()
    assert 'href="/challenges/"' in html and "揭榜挂帅" in html


def test_an_academic_member_sees_the_apply_form_and_applies(client, challenge):
    user, uni = academic(name="滨州学院")
    client.force_login(user)
    html = client.get(challenge.url).content.decode()
    assert "我要揭榜" in html and f'action="/challenges/{challenge.pk}/apply/"' in html
    response = client.post(f"/challenges/{challenge.pk}/apply/", {
        "organization": uni.pk, "team_lead": "张教授", "proposed_amount": "1000000",
        "proposal": "真空压铸结合模温分区控制。"})
    assert response.status_code == 302 and response["Location"] == challenge.url
    application = ChallengeApplication.objects.get()
    assert (application.organization, application.team_lead) == (uni, "张教授")
    html = client.get(challenge.url).content.decode()
    assert 'id="my-application"' in html and 'id="apply"' not in html


@pytest.mark.parametrize("amount, message", [
    ("-5", "金额不能为负数。"),
    ("abc", "请输入数字（元）。"),
    ("", "此项为必填项。"),
])
def test_a_bad_application_is_a_field_error(client, challenge, amount, message):
    user, uni = academic()
    client.force_login(user)
    response = client.post(f"/challenges/{challenge.pk}/apply/", {
        "organization": uni.pk, "team_lead": "张教授", "proposed_amount": amount, "proposal": "方案"})
    assert message in _errors(response)["proposed_amount"]
    assert not ChallengeApplication.objects.exists()


def test_an_enterprise_user_gets_no_apply_form(client, challenge):
    other = make_user("enterprise")
    make_org("enterprise", members=[other])
    client.force_login(other)
    html = client.get(challenge.url).content.decode()
    assert 'id="apply"' not in html and "仅高校、科研院所可揭榜" in html
    response = client.post(f"/challenges/{challenge.pk}/apply/", {"proposal": "x"})
    assert response.status_code == 302
    assert not ChallengeApplication.objects.exists()


def test_applying_requires_logging_in(client, challenge):
    assert "登录后揭榜" in client.get(challenge.url).content.decode()
    response = client.post(f"/challenges/{challenge.pk}/apply/", {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_enterprise_sees_applications_and_selects_one(client, challenge, enterprise_user):
    first = apply_as(challenge, *academic(name="滨州学院"))
    second = apply_as(challenge, *academic("institute", name="山东省科学院"))
    anonymous = client.get(challenge.url).content.decode()
    assert 'id="applications"' not in anonymous and "王教授" not in anonymous

    client.force_login(enterprise_user)
    html = client.get(challenge.url).content.decode()
    assert 'id="applications"' in html and "滨州学院" in html and "山东省科学院" in html
    response = client.post(f"/challenges/{challenge.pk}/applications/{second.pk}/select/")
    assert response.status_code == 302
    assert selectors.status_of(challenge) == C.AWARDED
    first.refresh_from_db()
    assert first.status == ApplicationStatus.NOT_SELECTED
    html = client.get(challenge.url).content.decode()
    assert f'data-selected="{second.organization_id}"' in html
    assert "/select/" not in html and "/close/" not in html, "an awarded challenge offers no more choice"


def test_selecting_for_someone_elses_challenge_is_403(client, challenge):
    application = apply_as(challenge, *academic())
    outsider = make_user("enterprise")
    make_org("enterprise", members=[outsider])
    client.force_login(outsider)
    assert client.post(f"/challenges/{challenge.pk}/applications/{application.pk}/select/").status_code == 403
    assert client.post(f"/challenges/{challenge.pk}/close/", {"reason": "x"}).status_code == 403
    assert selectors.status_of(challenge) == C.OPEN


def test_an_application_of_another_challenge_is_404(client, challenge, enterprise_user, enterprise):
    other = published_challenge(enterprise_user, enterprise, title="另一个榜单")
    application = apply_as(other, *academic())
    client.force_login(enterprise_user)
    assert client.post(f"/challenges/{challenge.pk}/applications/{application.pk}/select/").status_code == 404


def test_the_enterprise_closes_without_award(client, challenge, enterprise_user):
    client.force_login(enterprise_user)
    response = client.post(f"/challenges/{challenge.pk}/close/", {"reason": "技术路线调整"})
    assert response.status_code == 302
    assert selectors.status_of(challenge) == C.CLOSED
    html = client.get(challenge.url).content.decode()
    assert "技术路线调整" in html and 'data-status="closed"' in html


def test_the_bureau_grants_the_subsidy_once_awarded(client, challenge, enterprise_user):
    bureau = make_user("bureau")
    client.force_login(bureau)
    assert 'id="subsidy"' not in client.get(challenge.url).content.decode(), "no subsidy before an award"
    response = client.post(f"/challenges/{challenge.pk}/subsidy/", {
        "subsidy_amount": "100000", "subsidy_granted_on": timezone.localdate().isoformat()})
    assert "榜单状态不能从" in str(response.context["form"].non_field_errors())

    services.select_application(user=enterprise_user, application=apply_as(challenge, *academic()))
    assert 'id="subsidy"' in client.get(challenge.url).content.decode()
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    errors = _errors(client.post(f"/challenges/{challenge.pk}/subsidy/", {
        "subsidy_amount": "100000", "subsidy_granted_on": tomorrow}))
    assert errors["subsidy_granted_on"] == ["发放日期不能晚于今天。"]
    errors = _errors(client.post(f"/challenges/{challenge.pk}/subsidy/", {
        "subsidy_amount": "-1", "subsidy_granted_on": timezone.localdate().isoformat()}))
    assert errors["subsidy_amount"] == ["金额不能为负数。"]
    assert selectors.status_of(challenge) == C.AWARDED

    response = client.post(f"/challenges/{challenge.pk}/subsidy/", {
        "subsidy_amount": "250000.00", "subsidy_granted_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    outcome = ChallengeOutcome.objects.get(challenge=challenge)
    assert (outcome.status, outcome.subsidy_amount) == (C.SUBSIDIZED, Decimal("250000.00"))
    assert "25万元" in client.get(challenge.url).content.decode()


@pytest.mark.parametrize("role", ["enterprise", "university", "agent"])
def test_only_the_bureau_reaches_the_subsidy_form(client, challenge, role):
    client.force_login(make_user(role))
    assert client.get(f"/challenges/{challenge.pk}/subsidy/").status_code == 403
    assert client.post(f"/challenges/{challenge.pk}/subsidy/", {"subsidy_amount": "1"}).status_code == 403
