"""Bureau staff correct a record's description in the Wagtail admin (Snippets); its state and approval
date are not editable there, so the admin cannot make a record count."""

from datetime import date

import pytest
from django.test import Client

from marketplace.programs import services
from marketplace.programs.states import RecordStatus
from tests.factories import county, field

from .builders import approved, cast, record_data

pytestmark = pytest.mark.django_db


def test_bureau_staff_edit_a_record_but_not_its_state():
    c = cast()
    record = services.enter_record(user=c.enterprise_member, data=record_data(c.enterprise))
    client = Client()
    client.force_login(c.bureau)
    assert client.get("/admin/snippets/programs/projectrecord/").status_code == 200
    url = f"/admin/snippets/programs/projectrecord/edit/{record.pk}/"
    response = client.post(url, {
        "kind": "reserve", "title": "更正后的名称", "summary": "", "owner": c.enterprise.pk,
        "field": field("aluminium").pk, "county": county("huimin").pk, "stage": "research",
        "status": RecordStatus.APPROVED, "approved_on": "2023-01-01",
    })
    assert response.status_code == 302, response.content.decode()[:1500]
    record.refresh_from_db()
    assert (record.title, record.county.slug) == ("更正后的名称", "huimin")
    assert (record.status, record.approved_on) == (RecordStatus.PROPOSED, None)


def test_commissioners_are_listed_for_the_bureau_only():
    c = cast()
    approved(c, on=date(2023, 4, 1))
    bureau = Client()
    bureau.force_login(c.bureau)
    assert bureau.get("/admin/snippets/programs/commissionerassignment/").status_code == 200
    for user in (c.enterprise_member, c.academic_member):
        client = Client()
        client.force_login(user)
        assert client.get("/admin/snippets/programs/commissionerassignment/").status_code in (302, 403)
