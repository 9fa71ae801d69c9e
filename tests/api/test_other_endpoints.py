"""Events (registration for the key's organization), the organization's agreements, targets, docs."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from marketplace.agreements.models import Agreement, AgreementParty
from marketplace.events.models import Registration
from tests.events.builders import make_event
from tests.factories import county, field, make_org

pytestmark = pytest.mark.django_db


def _register(client, partner, event, **body):
    payload = {"ticket_id": event.ticket_types.first().pk, "participants": [{"name": "王工"}], **body}
    return client.post(f"/api/v1/events/{event.pk}/registrations", json.dumps(payload),
                       content_type="application/json", **partner.headers())


def test_a_key_registers_its_organization_once(client, partner_a):
    event = make_event()
    first = _register(client, partner_a, event)
    assert first.status_code == 201 and first.json()["status"] == "confirmed"
    registration = Registration.objects.get(pk=first.json()["id"])
    assert registration.organization == partner_a.org and registration.registered_by == partner_a.user
    again = _register(client, partner_a, event)
    assert again.status_code == 409 and again.json()["code"] == "registration_refused"
    assert "已报名" in again.json()["message"]
    detail = client.get(f"/api/v1/events/{event.pk}", **partner_a.headers()).json()
    assert detail["seats_left"] == event.capacity - 1


def test_a_ticket_of_another_event_is_a_field_error(client, partner_a):
    event, other = make_event(), make_event()
    response = _register(client, partner_a, event, ticket_id=other.ticket_types.first().pk)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "ticket_id"


def test_an_unpublished_event_is_not_found(client, partner_a):
    draft = make_event(publish=False)
    assert client.get(f"/api/v1/events/{draft.pk}", **partner_a.headers()).status_code == 404
    assert _register(client, partner_a, draft).status_code == 404


def _agreement(title: str, *orgs) -> Agreement:
    agreement = Agreement.objects.create(title=title, agreement_type="transfer", amount=Decimal("100000.00"),
                                         signed_on=dt.date(2026, 5, 1), county=county(), field=field())
    for org, side in zip(orgs, ("enterprise", "academic"), strict=False):
        AgreementParty.objects.create(agreement=agreement, organization=org, side=side)
    return agreement


def test_a_key_reads_only_its_organizations_agreements(client, partner_a, partner_b):
    university = make_org("university", name="滨州学院")
    ours = _agreement("甲与滨州学院技术转让", partner_a.org, university)
    theirs = _agreement("乙与滨州学院技术转让", partner_b.org, university)
    listed = client.get("/api/v1/agreements", **partner_a.headers()).json()
    assert [a["title"] for a in listed["results"]] == ["甲与滨州学院技术转让"]
    assert client.get(f"/api/v1/agreements/{ours.pk}", **partner_a.headers()).json()["amount"] == "100000.00"
    assert client.get(f"/api/v1/agreements/{theirs.pk}", **partner_a.headers()).status_code == 404


def test_targets_give_the_years_rows(client, partner_a):
    body = client.get("/api/v1/targets", {"year": 2026}, **partner_a.headers()).json()
    assert body["year"] == 2026
    signed = next(t for t in body["targets"] if t["code"] == "agreements_signed")
    assert signed["actual"] == 0


def test_the_schema_and_the_docs_are_public_and_the_docs_load_nothing_from_elsewhere(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.")
    assert "/api/v1/listings/demands" in schema.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
