"""Bureau staff set a later year's target in the Wagtail admin; the dashboard uses it at once."""

import re

import pytest

from marketplace.agreements.models import Target
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_bureau_staff_set_next_years_target_in_the_admin(client):
    bureau = make_user("bureau")
    client.force_login(bureau)
    assert client.get("/admin/snippets/agreements/target/").status_code == 200
    response = client.post(
        "/admin/snippets/agreements/target/add/",
        {"metric": "agreements_signed", "year": 2027, "target": 650, "note": "2027年科技工作要点"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Target.objects.get(metric="agreements_signed", year=2027).target == 650
    duplicate = client.post(
        "/admin/snippets/agreements/target/add/", {"metric": "agreements_signed", "year": 2027, "target": 1}
    )
    assert duplicate.status_code == 200 and "已有目标" in duplicate.content.decode()
    page = client.get("/dashboard/", {"year": 2027}).content.decode()
    assert re.search(r'data-metric="agreements_signed" data-actual="0" data-target="650"', page)


def test_other_users_cannot_edit_targets(client):
    client.force_login(make_user("agent"))
    response = client.post(
        "/admin/snippets/agreements/target/add/", {"metric": "agreements_signed", "year": 2027, "target": 1}
    )
    assert response.status_code in (302, 403)
    assert not Target.objects.filter(year=2027).exists()
