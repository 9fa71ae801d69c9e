"""Agreements entered directly (service and form), and the bad input they refuse."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from marketplace.agreements import services
from marketplace.agreements.models import Agreement, AgreementParty, AgreementSource
from marketplace.agreements.services import Parties
from tests.deals.builders import terms
from tests.factories import county, field, make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties():
    return Parties(enterprises=[make_org("enterprise")], academics=[make_org("institute")])


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def test_bureau_staff_and_organizers_enter_agreements(parties):
    for role in ("bureau", "organizer"):
        agreement = services.enter_agreement(user=make_user(role), terms=terms(), parties=parties)
        assert agreement.source == AgreementSource.DIRECT
        assert set(agreement.parties.all()) == {*parties.enterprises, *parties.academics}
    with pytest.raises(PermissionDenied):
        services.enter_agreement(user=make_user("enterprise"), terms=terms(), parties=parties)


def test_zero_amount_is_fine_but_a_negative_amount_is_refused(parties):
    bureau = make_user("bureau")
    assert (
        services.enter_agreement(user=bureau, terms=terms(amount=Decimal("0")), parties=parties).amount == 0
    )
    errors = _errors(
        lambda: services.enter_agreement(user=bureau, terms=terms(amount=Decimal("-0.01")), parties=parties)
    )
    assert "负数" in " ".join(errors["amount"])
    assert Agreement.objects.count() == 1


def test_a_signing_date_in_the_future_is_refused(parties):
    tomorrow = timezone.localdate() + timedelta(days=1)
    errors = _errors(
        lambda: services.enter_agreement(
            user=make_user("bureau"), terms=terms(signed_on=tomorrow), parties=parties
        )
    )
    assert "signed_on" in errors
    assert not Agreement.objects.exists()


def test_parties_must_include_a_real_enterprise_and_a_real_university_or_institute():
    bureau = make_user("bureau")
    university = make_org("university", name="山东大学")
    errors = _errors(
        lambda: services.enter_agreement(
            user=bureau, terms=terms(), parties=Parties(enterprises=[university], academics=[university])
        )
    )
    assert "山东大学" in " ".join(errors["enterprises"]) and "不是企业" in " ".join(errors["enterprises"])
    errors = _errors(
        lambda: services.enter_agreement(
            user=bureau, terms=terms(), parties=Parties(enterprises=[make_org("enterprise")], academics=[])
        )
    )
    assert "academics" in errors and "enterprises" not in errors
    errors = _errors(
        lambda: services.enter_agreement(
            user=bureau,
            terms=terms(),
            parties=Parties(
                enterprises=[make_org("enterprise")], academics=[make_org("pilot_base_operator")]
            ),
        )
    )
    assert "不是高校或科研院所" in " ".join(errors["academics"])
    assert not Agreement.objects.exists() and not AgreementParty.objects.exists()


def test_a_registration_number_is_unique_when_present_and_needs_its_amount(parties):
    bureau = make_user("bureau")
    services.enter_agreement(user=bureau, terms=terms(), parties=parties)
    services.enter_agreement(user=bureau, terms=terms(), parties=parties)  # two unregistered: fine
    registered = terms(registration_number="2023371600000001", registered_amount=Decimal("100000"))
    services.enter_agreement(user=bureau, terms=registered, parties=parties)
    errors = _errors(lambda: services.enter_agreement(user=bureau, terms=registered, parties=parties))
    assert "已被使用" in " ".join(errors["registration_number"])
    errors = _errors(
        lambda: services.enter_agreement(
            user=bureau, terms=terms(registration_number="2023371600000002"), parties=parties
        )
    )
    assert "registered_amount" in errors
    assert Agreement.objects.count() == 3


def test_the_entry_form_saves_and_shows_field_errors(client, parties):
    client.force_login(make_user("bureau"))
    data = {
        "title": "盐碱地改良技术转让合同",
        "agreement_type": "transfer",
        "amount": "120000.00",
        "signed_on": timezone.localdate().isoformat(),
        "county": county("zhanhua").pk,
        "field": field("marine").pk,
        "enterprises": [parties.enterprises[0].pk],
        "academics": [parties.academics[0].pk],
    }
    bad = client.post(reverse("agreements:new"), {**data, "amount": "-5"})
    assert bad.status_code == 400
    assert "负数" in bad.content.decode()
    assert not Agreement.objects.exists()
    good = client.post(reverse("agreements:new"), data)
    assert good.status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.title, agreement.amount, agreement.county.slug) == (
        "盐碱地改良技术转让合同",
        Decimal("120000.00"),
        "zhanhua",
    )
    assert client.get(good["Location"]).status_code == 200


def test_the_entry_pages_are_closed_to_enterprises_and_agents(client):
    for role in ("enterprise", "agent", "university"):
        client.force_login(make_user(role))
        assert client.get(reverse("agreements:new")).status_code == 403
        assert client.get(reverse("agreements:import")).status_code == 403
