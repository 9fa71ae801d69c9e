"""A person downloads what the platform holds about them, and can delete their account: their own
fields are erased and they can no longer log in; their organization's records stay."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from accounts.models import Membership, Organization, User
from accounts.privacy.models import ContactReveal
from marketplace.listings import services
from marketplace.listings.models import DemandPage
from tests.factories import demand_data, make_org, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Str0ng-pass!"  # tests.factories.make_user's default


@pytest.fixture
def person(db):
    return make_user("enterprise", email="zhang@example.cn", display_name="张三", phone="13912341234")


@pytest.fixture
def org(person):
    return make_org("enterprise", name="滨州轻量化汽车部件有限公司", members=[person])


@pytest.fixture
def listing(site, person, org):
    page = services.create_listing(user=person, model=DemandPage, data=demand_data(
        org, contact_name="张三", contact_phone="13912341234", contact_email="zhang@example.cn"))
    page.get_latest_revision().publish()
    page.refresh_from_db()
    return page


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _revealed_by(user, page):
    verified = make_org("university", members=[user])
    Organization.objects.filter(pk=verified.pk).update(verified=True)
    assert _client(user).post(f"/my/listings/{page.pk}/contact/").status_code == 302


def test_the_export_holds_profile_memberships_listing_contacts_and_reveals(person, org, listing):
    viewer = make_user("university", display_name="李四")
    _revealed_by(viewer, listing)
    other_page = services.create_listing(user=viewer, model=DemandPage, data=demand_data(
        make_org("enterprise", members=[viewer]), title="另一项需求", contact_name="王五"))
    other_page.get_latest_revision().publish()
    verified = make_org("enterprise", members=[person])
    Organization.objects.filter(pk=verified.pk).update(verified=True)
    assert _client(person).post(f"/my/listings/{other_page.pk}/contact/").status_code == 302

    response = _client(person).get("/accounts/personal-data/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="personal-data-')
    data = json.loads(response.content)

    assert data["profile"]["email"] == "zhang@example.cn"
    assert data["profile"]["display_name"] == "张三"
    assert data["profile"]["phone"] == "13912341234"
    assert {m["organization"] for m in data["memberships"]} == {"滨州轻量化汽车部件有限公司", verified.name}
    assert data["listing_contacts"] == [{
        "listing_id": listing.pk, "title": listing.title, "type": "技术需求", "contact_name": "张三",
        "contact_phone": "13912341234", "contact_email": "zhang@example.cn"}]
    [about_me] = data["contact_reveals_about_me"]
    assert (about_me["listing_id"], about_me["viewer"], about_me["contact_name"]) == (listing.pk, "李四", "张三")
    [by_me] = data["contact_reveals_by_me"]
    assert (by_me["listing_id"], by_me["contact_name"]) == (other_page.pk, "王五")
    assert "李四" not in json.dumps(data["profile"]), "the export holds this person's data, not others' profiles"


def test_the_export_needs_a_login(db):
    response = Client().get("/accounts/personal-data/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_wrong_password_deletes_nothing(person, org):
    client = _client(person)
    response = client.post("/accounts/delete/", {"password": "wrong", "confirm": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"] == ["密码不正确。"]
    person.refresh_from_db()
    assert person.is_active and person.email == "zhang@example.cn"


def test_deleting_an_account_erases_personal_fields_and_keeps_the_organizations_records(person, org, listing):
    viewer = make_user("university")
    _revealed_by(viewer, listing)
    client = _client(person)
    assert client.get("/accounts/delete/").status_code == 200

    response = client.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302

    erased = User.objects.get(pk=person.pk)
    assert (erased.email, erased.display_name, erased.phone, erased.first_name,
            erased.last_name) == (f"deleted-{person.pk}@erased.invalid", "", "", "", "")
    assert not erased.is_active
    assert not erased.has_usable_password()
    assert not EmailAddress.objects.filter(user=erased).exists()
    assert not Membership.objects.filter(user=erased).exists()
    # The organization and what it published stay; so does the reveal log.
    assert Organization.objects.filter(pk=org.pk).exists()
    assert DemandPage.objects.get(pk=listing.pk).organization == org
    assert ContactReveal.objects.filter(contact_owner=erased).count() == 1
    # Logged out, and the old credentials no longer open the account.
    assert client.get("/accounts/dashboard/").status_code == 302
    visitor = Client()
    login = visitor.post("/accounts/login/", {"login": "zhang@example.cn", "password": PASSWORD})
    assert login.status_code == 200, "the login form is shown again with an error"
    assert "_auth_user_id" not in visitor.session
