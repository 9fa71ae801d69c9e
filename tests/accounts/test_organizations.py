import pytest

from accounts.models import Membership, Organization
from tests.factories import make_uscc

pytestmark = pytest.mark.django_db


def _post(client, headers=None, **overrides):
    data = {"name": "滨州新铝材料有限公司", "kind": "enterprise", "uscc": make_uscc(777), "county": "",
            "contact_name": "李经理", "contact_phone": "0543-1234567", "contact_email": "li@example.com"}
    data.update(overrides)
    return client.post("/accounts/organizations/new/", data, headers=headers)


def test_registering_an_organization_makes_the_creator_its_admin(client, enterprise_user):
    client.force_login(enterprise_user)
    response = _post(client)
    assert response.status_code == 302
    org = Organization.objects.get(name="滨州新铝材料有限公司")
    assert Membership.objects.get(user=enterprise_user, organization=org).role == Membership.Role.ADMIN


def test_a_wrong_check_character_gets_a_chinese_field_error_and_saves_nothing(client, enterprise_user):
    client.force_login(enterprise_user)
    good = make_uscc(778)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = _post(client, uscc=bad)
    assert response.status_code == 200
    assert "校验位错误" in response.context["form"].errors["uscc"][0]
    assert not Organization.objects.exists()
    assert not Membership.objects.exists()


def test_a_uscc_can_be_registered_only_once(client, enterprise_user):
    client.force_login(enterprise_user)
    uscc = make_uscc(779)
    _post(client, uscc=uscc)
    response = _post(client, uscc=uscc.lower(), name="另一家公司")
    assert response.status_code == 200
    assert "已注册" in response.context["form"].errors["uscc"][0]
    assert Organization.objects.count() == 1


def test_english_interface_shows_english_text_too(client, enterprise_user):
    client.force_login(enterprise_user)
    response = _post(client, uscc="123", headers={"accept-language": "en"})
    assert response.context["form"].errors["uscc"][0] == \
        "A unified social credit code has 18 characters; this one has 3."
