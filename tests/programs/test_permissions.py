"""Who may propose, confirm and approve: every URL of marketplace.programs asked by an anonymous
visitor, a member of the enterprise, a member of the institution, a member of another organization and
bureau staff. Refusals change nothing; 404 where the record is not theirs to see."""

from datetime import date

import pytest
from django.test import Client

from marketplace.programs import services
from marketplace.programs.models import CommissionerAssignment
from marketplace.programs.states import AssignmentStatus, RecordStatus
from tests.factories import field, make_org, make_user

from .builders import approved, assignment_data, cast, confirmed, proposed, record_data

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "enterprise", "academic", "other", "bureau"]
LOGIN = "login"  # redirected to sign in


def actor_user(c, actor):
    return {"anonymous": None, "enterprise": c.enterprise_member, "academic": c.academic_member,
            "other": c.outsider, "bureau": c.bureau}[actor]


def ask(c, actor, method, url, data=None):
    client = Client()
    user = actor_user(c, actor)
    if user:
        client.force_login(user)
    return getattr(client, method)(url, data or {})


def outcome(response) -> int | str:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


def setup_for(c, target: str):
    """The record the URL acts on, in the state where the action makes sense."""
    if target == "proposed":
        return proposed(c)
    if target == "confirmed":
        return confirmed(c)
    if target == "approved":
        return approved(c, on=date(2023, 4, 1))
    if target == "record":
        return services.enter_record(user=c.enterprise_member, data=record_data(c.enterprise))
    return None


# url, method, the record it needs, expected per actor (anonymous, enterprise, academic, other, bureau)
MATRIX = [
    ("/programs/", "get", None, [LOGIN, 200, 200, 200, 200]),
    ("/programs/commissioners/new/", "get", None, [LOGIN, 200, 200, 200, 200]),
    ("/programs/commissioners/{pk}/", "get", "proposed", [404, 200, 200, 404, 200]),
    ("/programs/commissioners/{pk}/", "get", "approved", [200, 200, 200, 200, 200]),  # the public profile
    ("/programs/commissioners/{pk}/confirm/", "post", "proposed", [LOGIN, 302, 302, 404, 403]),
    ("/programs/commissioners/{pk}/decide/", "post", "confirmed", [LOGIN, 403, 403, 403, 302]),
    ("/programs/commissioners/{pk}/logs/new/", "get", "approved", [LOGIN, 403, 403, 403, 403]),
    ("/programs/records/new/", "get", None, [LOGIN, 200, 200, 200, 200]),
    ("/programs/records/{pk}/", "get", "record", [404, 200, 404, 404, 200]),
    ("/programs/records/{pk}/decide/", "post", "record", [LOGIN, 403, 403, 403, 302]),
]
CASES = [(url, method, target, actor, expected[i])
         for url, method, target, expected in MATRIX for i, actor in enumerate(ACTORS)]


@pytest.mark.parametrize(("url", "method", "target", "actor", "expected"), CASES,
                         ids=[f"{m}:{u}:{t}:{a}" for u, m, t, a, _ in CASES])
def test_each_url_answers_each_actor_as_the_rules_say(url, method, target, actor, expected):
    c = cast()
    obj = setup_for(c, target)
    before = obj.status if obj else None
    response = ask(c, actor, method, url.format(pk=obj.pk if obj else 0), {"decision": "approve"})
    assert outcome(response) == expected
    if obj is None or method == "get":
        return
    obj.refresh_from_db()
    if expected != 302:
        assert obj.status == before  # a refusal changes nothing
        if isinstance(obj, CommissionerAssignment):
            assert obj.enterprise_confirmed_at is None or target != "proposed"
    elif "confirm" in url:
        side = "enterprise" if actor == "enterprise" else "institution"
        assert getattr(obj, f"{side}_confirmed_by") == actor_user(c, actor)
    else:
        assert obj.status in (AssignmentStatus.APPROVED, RecordStatus.APPROVED)


def test_a_member_of_another_organization_cannot_propose_for_the_two_parties():
    c = cast()
    data = {"commissioner_email": c.commissioner.email, "institution": c.institution.pk,
            "enterprise": c.enterprise.pk, "field": field("aluminium").pk, "county": c.enterprise.county.pk,
            "term_start": "2023-03-01", "term_end": "2023-12-31"}
    response = ask(c, "other", "post", "/programs/commissioners/new/", data)
    assert response.status_code == 200 and "只能为本人所在的服务企业或派出单位登记" in response.content.decode()
    assert not CommissionerAssignment.objects.exists()


def test_members_of_unverified_organizations_may_not_propose():
    user = make_user("enterprise")
    make_org("enterprise", members=[user])  # not verified by the bureau
    client = Client()
    client.force_login(user)
    assert client.get("/programs/commissioners/new/").status_code == 403
    assert client.get("/programs/records/new/").status_code == 403


def test_the_institution_may_propose_and_confirm_but_only_its_own_side():
    c = cast()
    a = services.propose_assignment(user=c.academic_member, data=assignment_data(c))
    services.confirm_assignment(user=c.academic_member, assignment=a)
    a.refresh_from_db()
    assert a.institution_confirmed_by == c.academic_member and a.enterprise_confirmed_at is None
    assert a.status == AssignmentStatus.PROPOSED
