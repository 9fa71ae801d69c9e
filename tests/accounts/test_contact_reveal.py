"""Contacts on listing pages are masked (个人信息保护法); members of verified organizations may reveal one,
rate-limited, and every reveal is logged in an append-only log bureau staff read in the admin."""

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.privacy.models import AppendOnlyError, ContactReveal
from marketplace.listings import services
from marketplace.listings.models import DemandPage
from tests.factories import demand_data, make_org, make_user

pytestmark = pytest.mark.django_db

CONTACT = {"contact_name": "张三", "contact_phone": "13912341234", "contact_email": "zhang@example.cn"}
MASKED = ["张*", "139****1234", "z***@example.cn"]
FULL = ["张三", "13912341234", "zhang@example.cn"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # rate-limit counters live in the cache; each test starts from zero
    yield
    cache.clear()


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _publish(owner, org, **overrides) -> DemandPage:
    page = services.create_listing(user=owner, model=DemandPage, data=demand_data(org, **CONTACT, **overrides))
    page.get_latest_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def listing(site, enterprise_user, enterprise):
    return _publish(enterprise_user, enterprise)


def _member(verified: bool):
    user = make_user("university")
    org = make_org("university", members=[user])
    org.verified = verified
    org.save(update_fields=["verified"])
    return user


@pytest.fixture
def verified_member(db):
    return _member(verified=True)


def _contact_section(response) -> str:
    html = response.content.decode()
    return html[html.index('id="contact"'):]


def _shows(response, values) -> bool:
    section = _contact_section(response)
    return all(v in section for v in values)


def test_anonymous_visitors_see_the_contact_masked(listing):
    response = _client().get(listing.url)
    assert response.status_code == 200
    assert _shows(response, MASKED)
    html = response.content.decode()
    assert "13912341234" not in html and "zhang@example.cn" not in html and "张三" not in html


def test_members_of_unverified_organizations_see_it_masked_and_cannot_reveal(listing):
    user = _member(verified=False)
    client = _client(user)
    page = client.get(listing.url)
    assert _shows(page, MASKED)
    assert f"/my/listings/{listing.pk}/contact/" not in page.content.decode()
    assert client.post(f"/my/listings/{listing.pk}/contact/").status_code == 403
    assert not ContactReveal.objects.exists()


def test_the_publishers_members_and_bureau_staff_see_it_in_full_without_a_log_entry(listing, enterprise_user,
                                                                                     bureau_user):
    for user in (enterprise_user, bureau_user):
        assert _shows(_client(user).get(listing.url), FULL)
    assert not ContactReveal.objects.exists()


def test_a_verified_member_reveals_a_contact_and_the_reveal_is_logged(listing, verified_member, enterprise_user):
    client = _client(verified_member)
    before = client.get(listing.url)
    assert _shows(before, MASKED)
    assert f'action="/my/listings/{listing.pk}/contact/"' in before.content.decode()

    response = client.post(f"/my/listings/{listing.pk}/contact/")
    assert response.status_code == 302
    assert response["Location"] == listing.url + "#contact"
    entry = ContactReveal.objects.get()
    assert (entry.viewer, entry.page_id, entry.organization, entry.contact_owner, entry.contact_name) == (
        verified_member, listing.pk, listing.organization, enterprise_user, "张三")
    assert entry.revealed_at is not None
    assert _shows(client.get(listing.url), FULL)
    assert _shows(_client().get(listing.url), MASKED), "one person's reveal shows nothing to anyone else"


def test_anonymous_visitors_cannot_reveal(listing):
    response = _client().post(f"/my/listings/{listing.pk}/contact/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ContactReveal.objects.exists()


def test_a_draft_listings_contact_cannot_be_revealed(site, enterprise_user, enterprise, verified_member):
    draft = services.create_listing(user=enterprise_user, model=DemandPage, data=demand_data(enterprise, **CONTACT))
    assert _client(verified_member).post(f"/my/listings/{draft.pk}/contact/").status_code == 404
    assert not ContactReveal.objects.exists()


def test_reveals_are_limited_to_ten_an_hour_per_user(listing, verified_member):
    client = _client(verified_member)
    statuses = [client.post(f"/my/listings/{listing.pk}/contact/").status_code for _ in range(10)]
    assert statuses == [302] * 10
    limited = client.post(f"/my/listings/{listing.pk}/contact/")
    assert limited.status_code == 429
    assert "过于频繁" in limited.content.decode()
    assert ContactReveal.objects.count() == 10, "a refused reveal is not logged"
    other = _member(verified=True)
    assert _client(other).post(f"/my/listings/{listing.pk}/contact/").status_code == 302, "limits are per user"


def test_the_log_is_append_only(listing, verified_member):
    _client(verified_member).post(f"/my/listings/{listing.pk}/contact/")
    entry = ContactReveal.objects.get()
    entry.contact_name = "改写"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert ContactReveal.objects.get().contact_name == "张三"


def test_bureau_staff_read_the_log_in_the_admin_and_cannot_change_it(listing, verified_member, bureau_user):
    _client(verified_member).post(f"/my/listings/{listing.pk}/contact/")
    staff = _client(bureau_user)
    index = staff.get("/admin/contact_reveals/")
    assert index.status_code == 200
    assert listing.title in index.content.decode()
    entry = ContactReveal.objects.get()
    assert staff.get(f"/admin/contact_reveals/inspect/{entry.pk}/").status_code == 200
    assert staff.get(f"/admin/contact_reveals/edit/{entry.pk}/").status_code in (302, 403, 404)
    assert staff.post(f"/admin/contact_reveals/delete/{entry.pk}/").status_code in (302, 403, 404)
    assert ContactReveal.objects.count() == 1
    assert _client(verified_member).get("/admin/contact_reveals/").status_code in (302, 403)


def test_the_logs_csv_export_keeps_user_typed_text_as_text(site, enterprise_user, enterprise, verified_member,
                                                            bureau_user):
    """A listing titled like a formula is exported as text ('=...), so a spreadsheet never runs it."""
    listing = _publish(enterprise_user, enterprise, title="=HYPERLINK(\"http://evil.example\")需求")
    _client(verified_member).post(f"/my/listings/{listing.pk}/contact/")
    export = _client(bureau_user).get("/admin/contact_reveals/?export=csv")
    assert export.status_code == 200
    body = b"".join(export.streaming_content).decode("utf-8-sig") if export.streaming else export.content.decode()
    assert "'=HYPERLINK" in body
    assert ",=HYPERLINK" not in body and '"=HYPERLINK' not in body
