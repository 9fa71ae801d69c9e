import pytest

from tests.factories import make_org

pytestmark = pytest.mark.django_db


def test_bureau_staff_verify_an_organization_in_the_wagtail_admin(client, bureau_user):
    org = make_org("enterprise", name="待认证企业")
    client.force_login(bureau_user)
    listing = client.get("/admin/snippets/accounts/organization/")
    assert listing.status_code == 200 and "待认证企业" in listing.content.decode()
    edit_url = f"/admin/snippets/accounts/organization/edit/{org.pk}/"
    form = client.get(edit_url)
    assert form.status_code == 200
    response = client.post(edit_url, {"name": org.name, "kind": org.kind, "uscc": org.uscc, "county": org.county_id,
                                      "contact_name": "", "contact_phone": "", "contact_email": "",
                                      "verified": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    org.refresh_from_db()
    assert org.verified


def test_enterprise_users_cannot_open_the_admin(client, enterprise_user):
    client.force_login(enterprise_user)
    response = client.get("/admin/snippets/accounts/organization/")
    assert response.status_code in (302, 403)
