"""E-mail is the identifier: any number of people sign up through the real form (there is no username
to collide), each confirms their own address, and the same address cannot be taken twice."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from accounts.models import PlatformRole, PrivacyConsent, User
from accounts.privacy import PRIVACY_NOTICE_VERSION
from tests.accounts.signup import PASSWORD, sign_up_and_confirm, signup_data

pytestmark = pytest.mark.django_db

PEOPLE = [
    ("zhang@hongtuo.example.cn", "张经理", "enterprise"),
    ("li@bzu.example.edu.cn", "李老师", "university"),
    ("wang@pilot.example.cn", "王主任", "pilot_base"),
    ("zhao@hongtuo.example.cn", "赵工", "enterprise"),
]


def test_several_people_sign_up_confirm_and_log_in_one_after_another(client):
    for email, name, role in PEOPLE:
        sign_up_and_confirm(client, email, name=name, role=role)
        client.logout()

    assert User.objects.count() == 4
    for email, name, role in PEOPLE:
        user = User.objects.get(email=email)
        assert (user.display_name, user.role) == (name, role)
        assert EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 4 and sorted(m.to[0] for m in mail.outbox) == sorted(p[0] for p in PEOPLE)


def test_an_address_already_registered_is_not_taken_again_whatever_its_case(client):
    """allauth does not reveal that the address exists (enumeration): the visitor sees the usual
    "check your e-mail" page, and no second account appears."""
    sign_up_and_confirm(client, "zhang@hongtuo.example.cn")
    client.logout()
    response = client.post("/accounts/signup/", signup_data("ZHANG@Hongtuo.example.cn", name="冒名者"))
    assert response.status_code == 302
    assert User.objects.count() == 1 and User.objects.get().display_name == "张工"


def test_login_accepts_the_address_in_any_case(client):
    sign_up_and_confirm(client, "Li.Ming@BZU.example.edu.cn")
    assert User.objects.get().email == "li.ming@bzu.example.edu.cn"
    client.logout()
    client.post("/accounts/login/", {"login": "LI.MING@bzu.example.edu.cn", "password": PASSWORD})
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize("role", ["organizer", "agent", "bureau"])
def test_sign_up_does_not_offer_roles_that_feed_official_figures(client, role):
    form = client.get("/accounts/signup/").context["form"]
    assert [value for value, _ in form.fields["role"].choices] == ["enterprise", "university", "pilot_base"]
    response = client.post("/accounts/signup/", signup_data("someone@example.cn", role=role))
    assert response.status_code == 200
    assert "活动组织方和技术经纪人注册后在账户中申请" in response.context["form"].errors["role"][0]
    assert not User.objects.exists()


def test_sign_up_shows_the_privacy_notice_and_records_consent_with_version_and_time(client):
    page = client.get("/accounts/signup/").content.decode()
    assert "个人信息保护说明" in page and f"版本 {PRIVACY_NOTICE_VERSION}" in page
    assert 'name="privacy_consent"' in page and "/accounts/privacy/" in page

    started = timezone.now()
    sign_up_and_confirm(client, "consent@example.cn")
    consent = PrivacyConsent.objects.get(user__email="consent@example.cn")
    assert consent.version == PRIVACY_NOTICE_VERSION
    assert started <= consent.consented_at <= timezone.now()


def test_sign_up_without_accepting_the_privacy_notice_is_refused_in_chinese(client):
    response = client.post("/accounts/signup/", signup_data("no-consent@example.cn", consent=False))
    assert response.status_code == 200
    assert response.context["form"].errors["privacy_consent"] == ["注册前请阅读并同意《个人信息保护说明》。"]
    assert not User.objects.exists() and not PrivacyConsent.objects.exists()


def test_the_privacy_notice_has_its_own_page_naming_its_version(client):
    response = client.get("/accounts/privacy/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "个人信息保护法" in page and PRIVACY_NOTICE_VERSION in page


def test_the_user_model_has_no_username_and_the_manager_keys_on_email():
    user = User.objects.create_user(email="Wu@Example.CN", password=PASSWORD)
    assert user.email == "wu@example.cn"
    assert "username" not in {f.name for f in User._meta.get_fields()}
    assert User.USERNAME_FIELD == "email"
    assert User.objects.get_by_natural_key("WU@example.cn") == user
    admin = User.objects.create_superuser(email="root@example.cn", password=PASSWORD)
    assert admin.is_staff and admin.is_superuser and admin.role == PlatformRole.ENTERPRISE
    with pytest.raises(ValueError):
        User.objects.create_user(email="", password=PASSWORD)
