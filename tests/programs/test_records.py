"""Reserve projects and major key results once through the real form: the bureau enters one (approved at
once); an organization proposes one and the bureau approves it; bad input is a field error in Chinese."""

import pytest
from django.test import Client
from django.utils import timezone

from marketplace.listings.models import DemandPage
from marketplace.programs.models import ProjectRecord
from marketplace.programs.states import RecordStatus
from tests.factories import county, field
from tests.search.helpers import publish

from .builders import cast

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(owner, **overrides) -> dict:
    data = {"kind": "key_result", "title": "大型一体化压铸装备关键技术", "summary": "国内首台套。",
            "owner": owner.pk, "field": field("aluminium").pk, "county": county("zouping").pk, "stage": "applied"}
    data.update(overrides)
    return data


def test_bureau_staff_enter_a_record_that_counts_at_once(site):
    c = cast()
    demand = publish(c.enterprise_member, c.enterprise, DemandPage, title="压铸件良品率提升")
    response = client_for(c.bureau).post("/programs/records/new/", form(c.enterprise, source_demand=demand.pk))
    assert response.status_code == 302
    record = ProjectRecord.objects.get()
    assert (record.status, record.approved_on, record.source_demand_id) == (
        RecordStatus.APPROVED, timezone.localdate(), demand.pk)
    page = Client().get(f"/programs/records/{record.pk}/").content.decode()
    assert "大型一体化压铸装备关键技术" in page and demand.url in page


def test_an_organization_proposes_and_the_bureau_approves():
    c = cast()
    member = client_for(c.enterprise_member)
    assert "source_deal" not in member.get("/programs/records/new/").context["form"].fields
    # Someone else's organization is not a choice.
    other = member.post("/programs/records/new/", form(c.other))
    assert other.status_code == 200 and "owner" in other.context["form"].errors
    assert member.post("/programs/records/new/", form(c.enterprise, kind="reserve")).status_code == 302
    record = ProjectRecord.objects.get()
    assert (record.status, record.proposed_by) == (RecordStatus.PROPOSED, c.enterprise_member)

    # Before approval only the owner and the bureau see it.
    assert Client().get(f"/programs/records/{record.pk}/").status_code == 404
    bureau = client_for(c.bureau)
    assert record.title in bureau.get("/programs/").content.decode()
    rejected_without_reason = bureau.post(f"/programs/records/{record.pk}/decide/", {"decision": "reject"})
    assert rejected_without_reason.status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.PROPOSED
    bureau.post(f"/programs/records/{record.pk}/decide/", {"decision": "approve"})
    record.refresh_from_db()
    assert (record.status, record.approved_on, record.decided_by) == (
        RecordStatus.APPROVED, timezone.localdate(), c.bureau)
    assert Client().get(f"/programs/records/{record.pk}/").status_code == 200


@pytest.mark.parametrize(("overrides", "field_name"), [
    ({"title": ""}, "title"), ({"stage": "done"}, "stage"), ({"kind": "other"}, "kind"), ({"county": "999"}, "county"),
])
def test_bad_input_is_a_field_error(overrides, field_name):
    c = cast()
    response = client_for(c.bureau).post("/programs/records/new/", form(c.enterprise, **overrides))
    assert response.status_code == 200 and field_name in response.context["form"].errors
    assert not ProjectRecord.objects.exists()
