"""The agreement entry form is idempotent: Back-and-resubmit, a double click and two simultaneous posts
of the same form (one-time token) give one agreement and never a 500; the repeat leads to the
agreement already saved."""

import threading

import pytest
from django.db import close_old_connections, connection, connections
from django.test import Client
from django.utils import timezone

from marketplace.agreements.models import Agreement
from tests.agreements.builders import verified_org
from tests.conftest import require_service
from tests.factories import county, field, make_user

TITLE = "功能性家纺面料抗菌整理技术开发合同"


def _form(client) -> dict:
    page = client.get("/agreements/new/")
    token = page.context["form"].initial["form_token"]
    ent = verified_org("enterprise", name="滨州锦绣家纺科技有限公司")
    acad = verified_org("institute", name="魏桥国科研究院")
    return {
        "title": TITLE, "agreement_type": "development", "amount": "380000",
        "signed_on": timezone.localdate().isoformat(), "county": county("bincheng").pk,
        "field": field("textiles").pk, "enterprises": [ent.pk], "academics": [acad.pk], "form_token": token,
    }


@pytest.mark.django_db
def test_back_and_resubmit_opens_the_saved_agreement_instead_of_a_second_one(client):
    client.force_login(make_user("bureau"))
    data = _form(client)
    first = client.post("/agreements/new/", data)
    again = client.post("/agreements/new/", data)
    saved = Agreement.objects.get(title=TITLE)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == f"/agreements/{saved.pk}/"
    assert Agreement.objects.filter(title=TITLE).count() == 1


@pytest.mark.django_db
def test_a_fresh_form_after_a_field_error_still_saves_once(client):
    client.force_login(make_user("bureau"))
    data = _form(client)
    refused = client.post("/agreements/new/", {**data, "amount": "-5"})
    assert refused.status_code == 400 and "金额不能为负数" in refused.content.decode()
    assert client.post("/agreements/new/", data).status_code == 302  # the token was not spent by the error
    assert Agreement.objects.filter(title=TITLE).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_posts_of_the_same_form_give_one_agreement_and_no_500():
    require_service("PostgreSQL", connection.vendor == "postgresql",
                    "concurrent writers need PostgreSQL; run with DATABASE_URL (services/postgres.sh start)")
    user = make_user("bureau")
    setup = Client()
    setup.force_login(user)
    data = _form(setup)
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def post(name: str) -> None:
        close_old_connections()
        try:
            client = Client(raise_request_exception=True)
            client.force_login(user)
            barrier.wait(timeout=30)
            results[name] = client.post("/agreements/new/", data)
        except Exception as error:  # the assertion below names it
            results[name] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    saved = Agreement.objects.get(title=TITLE)
    for name, response in results.items():
        assert not isinstance(response, Exception), f"{name}: {response!r}"
        assert response.status_code == 302 and response["Location"] == f"/agreements/{saved.pk}/"
    assert len(results) == 2
    assert Agreement.objects.filter(title=TITLE).count() == 1
