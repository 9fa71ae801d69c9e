"""The permission matrix: every agreement URL × every kind of visitor -> the expected answer.

The agreement was signed by an enterprise and an institute, at an organizer's event, from an agent's
deal, and recorded by bureau staff. "login" = redirected to the login page; 302 = the action was done
and the person is sent back to the agreement; 404 = the agreement is not even visible to them."""

import contextlib
from datetime import date

import pytest
from django.db import transaction

from marketplace.agreements.services import Parties, create_agreement
from marketplace.agreements.states import Status
from tests.agreements.builders import advance, pdf, verified_org
from tests.deals.builders import make_agent, open_manual_deal, terms
from tests.events.builders import make_event
from tests.factories import make_org, make_user

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "enterprise", "academic", "agent", "organizer", "other_org", "bureau"]

# url name, agreement state (None: no agreement needed), method, expected per role (in ROLES order)
MATRIX = [
    ("list", None, "get", ["login", 200, 200, 200, 200, 200, 200]),
    ("new", None, "get", ["login", 403, 403, 403, 200, 403, 200]),
    ("import", None, "get", ["login", 403, 403, 403, 200, 403, 200]),
    ("detail", Status.RECORDED, "get", ["login", 200, 200, 200, 200, 404, 200]),
    ("edit", Status.RECORDED, "get", ["login", 403, 403, 403, 403, 404, 200]),
    ("scan_download", Status.RECORDED, "get", ["login", 200, 200, 403, 403, 404, 200]),
    ("scan_upload", Status.RECORDED, "post", ["login", 302, 302, 403, 403, 404, 302]),
    ("transition", Status.RECORDED, "post", ["login", 302, 302, 403, 403, 404, 302]),  # send for confirmation
    ("transition_verify", Status.SUBMITTED, "post", ["login", 403, 403, 403, 403, 404, 302]),
    ("confirm", Status.AWAITING_CONFIRMATION, "post", ["login", 302, 302, 403, 403, 404, 302]),
    ("duplicate", "flagged", "post", ["login", 403, 403, 403, 403, 404, 302]),
    ("dashboard", None, "get", ["login", 403, 403, 403, 403, 403, 200]),
    ("export_monthly", None, "get", ["login", 403, 403, 403, 403, 403, 200]),
    ("export_agreements", None, "get", ["login", 403, 403, 403, 403, 403, 200]),
]


def _world(state: str | None):
    people = {
        "enterprise": make_user("enterprise"), "academic": make_user("university"), "agent": make_agent(),
        "organizer": make_user("organizer"), "other_org": make_user("enterprise"), "bureau": make_user("bureau"),
    }
    ent = verified_org("enterprise", name="滨州锦绣家纺科技有限公司", members=[people["enterprise"]])
    acad = verified_org("institute", name="魏桥国科研究院", members=[people["academic"]])
    make_org("enterprise", name="无关企业有限公司", members=[people["other_org"]])
    if state is None:
        return people, None
    event = make_event(organizer=people["organizer"])
    deal = open_manual_deal(agent=people["agent"], enterprise=ent, academic=acad)
    recorder = make_user("bureau")
    parties = Parties(enterprises=[ent], academics=[acad])
    agreement = create_agreement(terms=terms(signed_on=date(2023, 9, 1), title="功能性家纺面料开发合同", event=event),
                                 parties=parties, created_by=recorder, deal=deal)
    if state == "flagged":
        # The same agreement recorded again, at the same event, from the agent's second deal: flagged.
        second_deal = open_manual_deal(agent=people["agent"], enterprise=ent, academic=acad)
        agreement = create_agreement(
            terms=terms(signed_on=date(2023, 9, 1), title="功能性家纺面料开发合同书", event=event),
            parties=parties, created_by=recorder, deal=second_deal)
        assert agreement.duplicate_state == "flagged"
    else:
        agreement = advance(agreement, state, recorder)
    if not agreement.contract_scan:
        agreement.contract_scan.save("x.pdf", pdf(), save=True)
    return people, agreement


def _request(client, name: str, role: str, agreement):
    pk = agreement.pk if agreement else None
    url = {
        "list": "/agreements/", "new": "/agreements/new/", "import": "/agreements/import/",
        "detail": f"/agreements/{pk}/", "edit": f"/agreements/{pk}/edit/",
        "scan_download": f"/agreements/{pk}/contract.pdf", "scan_upload": f"/agreements/{pk}/scan/",
        "transition": f"/agreements/{pk}/transition/", "transition_verify": f"/agreements/{pk}/transition/",
        "confirm": f"/agreements/{pk}/confirm/", "duplicate": f"/agreements/{pk}/duplicate/",
        "dashboard": "/dashboard/", "export_monthly": "/dashboard/export/monthly.csv",
        "export_agreements": "/dashboard/export/agreements.xlsx",
    }[name]
    data = {
        "scan_upload": lambda: {"scan": pdf()},
        "transition": lambda: {"to_status": Status.AWAITING_CONFIRMATION},
        "transition_verify": lambda: {"to_status": Status.VERIFIED},
        "confirm": lambda: ({"side": "academic"} if role == "academic" else
                            {"side": "enterprise", "on_behalf": "on" if role == "bureau" else "", "note": "纸质合同"}),
        "duplicate": lambda: {"decision": "keep"},
    }.get(name, dict)()
    return client.post(url, data) if data or name in {"duplicate"} else client.get(url)


class _Undo(Exception):
    pass


def _answer(client, name: str, role: str, agreement, people: dict) -> int | str:
    """What `role` gets; any write the request made is rolled back, so each role meets the same world."""
    client.logout()
    if role != "anonymous":
        client.force_login(people[role])
    answer = None
    with contextlib.suppress(_Undo), transaction.atomic():
        response = _request(client, name, role, agreement)
        if response.status_code == 302 and "/accounts/login/" in response["Location"]:
            answer = "login"
        else:
            answer = response.status_code
            if answer == 302:
                assert response["Location"] == f"/agreements/{agreement.pk}/"
        raise _Undo
    return answer


@pytest.mark.parametrize(("name", "state", "expected"), [(n, s, e) for n, s, _m, e in MATRIX],
                         ids=[row[0] for row in MATRIX])
def test_permission_matrix(client, site, name, state, expected):
    people, agreement = _world(state)
    got = {role: _answer(client, name, role, agreement, people) for role in ROLES}
    assert got == dict(zip(ROLES, expected, strict=True))


def test_every_agreement_url_is_in_the_matrix():
    from marketplace.agreements import dashboard_urls, urls

    names = {p.name for p in urls.urlpatterns} | {p.name for p in dashboard_urls.urlpatterns}
    covered = {"index" if n == "dashboard" else n for n, *_rest in MATRIX} - {"transition_verify"}
    # Background-job pages belong to the person who started the job, not to an agreement: their rows are in
    # tests/security/test_authorization_matrix.py.
    job_pages = {"import_job", "export_start", "export_job", "export_download"}
    assert names == covered | job_pages


def test_the_list_shows_each_person_only_what_they_may_see(client, site):
    people, agreement = _world(Status.RECORDED)
    for role, sees in [("enterprise", True), ("academic", True), ("agent", True), ("organizer", True),
                       ("other_org", False), ("bureau", True)]:
        client.force_login(people[role])
        page = client.get("/agreements/").content.decode()
        assert (f'href="/agreements/{agreement.pk}/"' in page) is sees, role
