"""Generating, adjusting and publishing an event's 1:1 schedule from real registrations; each participant
sees only their own agenda, with reasons, once it is published."""

from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from marketplace.events.models import EventSchedule, Meeting, MeetingPreference
from marketplace.events.schedule_inputs import build_problem
from marketplace.events.scheduling import schedule_violations
from marketplace.events.selectors import agenda
from marketplace.events.services import meeting_preferences, registrations, schedule_edits, schedule_generation
from marketplace.listings.models import AchievementIndexPage, AchievementPage, DemandIndexPage, DemandPage
from tests.factories import achievement_data, demand_data, field

from .builders import make_event, make_registrant, register

pytestmark = pytest.mark.django_db


def _publish(index_model, page):
    index = index_model.objects.first()
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def _enterprise_with_demand(event, name, **demand):
    user, org = make_registrant("enterprise", name=name)
    d = _publish(DemandIndexPage, DemandPage(slug=f"d-{org.pk}", **demand_data(org, **demand)))
    return register(event, user=user, org=org, demands=[d])


def _university_with_result(event, name, **result):
    user, org = make_registrant("university", name=name)
    a = _publish(AchievementIndexPage, AchievementPage(slug=f"a-{org.pk}", **achievement_data(org, **result)))
    return register(event, user=user, org=org, achievements=[a])


@pytest.fixture
def fair(event_site, organizer):
    """Two aluminium enterprises, an aluminium university, a food-safety institute."""
    event = make_event(organizer=organizer, slot_count=3, table_count=2)
    regs = {
        "alu1": _enterprise_with_demand(event, "滨州铝业一厂"),
        "alu2": _enterprise_with_demand(event, "滨州铝业二厂", keywords="铝合金,焊接"),
        "uni": _university_with_result(event, "滨州学院"),
        "food": _university_with_result(event, "食品研究所", field=field("food-drug-safety"),
                                        keywords="食品检测,快检", title="食品快速检测技术",
                                        summary="快检试剂盒"),
    }
    return event, regs


def test_fallback_scores_pair_demands_with_results_of_the_same_field(fair):
    event, regs = fair
    problem, source = build_problem(event, match_fn=None)
    # Shown to organizers on the schedule page: what the scores rest on, in their words.
    assert source == "双方所属领域、共同关键词与所在县"
    scores = {frozenset(k): v for k, v in problem.scores.items()}
    alu_uni = scores[frozenset((regs["alu1"].pk, regs["uni"].pk))]
    assert alu_uni > scores.get(frozenset((regs["alu1"].pk, regs["food"].pk)), 0)
    reasons = " ".join(problem.reasons[frozenset((regs["alu1"].pk, regs["uni"].pk))])
    assert "领域" in reasons and "铝合金" in reasons


@dataclass
class FakeMatch:
    page: object
    score: float
    reasons: list


def test_match_engine_scores_are_used_when_the_engine_answers(fair):
    event, regs = fair
    uni_result = regs["uni"].achievements.first()
    calls = []

    def engine(demand, top=10):
        calls.append(demand.pk)
        return [FakeMatch(page=uni_result, score=0.83, reasons=["共享关键词：铝合金"])]

    problem, source = build_problem(event, match_fn=engine)
    assert source.startswith("平台匹配服务") and "search." not in source and len(calls) == 2
    key = (min(regs["alu1"].pk, regs["uni"].pk), max(regs["alu1"].pk, regs["uni"].pk))
    assert problem.scores[key] == pytest.approx(0.83)
    assert "共享关键词：铝合金" in problem.reasons[frozenset(key)]


def test_an_unavailable_engine_falls_back_and_says_so(fair, caplog):
    from search.backends import SearchUnavailable

    event, _regs = fair

    def engine(demand, top=10):
        raise SearchUnavailable("backend down")

    problem, source = build_problem(event, match_fn=engine)
    assert "暂不可用" in source, "the organizer is told the scores rest on the fallback"
    assert "SearchUnavailable" not in source and "SearchUnavailable" in caplog.text, "the cause goes to the log"
    assert problem.scores  # the fallback still produced scores


def test_generate_requests_declines_and_publish(fair, organizer, client):
    event, regs = fair
    meeting_preferences.set_preference(user=regs["food"].registered_by, registration=regs["food"],
                                       target=regs["alu2"], kind=MeetingPreference.Kind.REQUEST)
    meeting_preferences.set_preference(user=regs["alu2"].registered_by, registration=regs["alu2"],
                                       target=regs["uni"], kind=MeetingPreference.Kind.DECLINE)
    schedule = schedule_generation.generate_meeting_schedule(user=organizer, event=event, match_fn=None)
    meetings = list(Meeting.objects.filter(event=event))
    pairs = {frozenset((m.a_id, m.b_id)) for m in meetings}
    assert frozenset((regs["food"].pk, regs["alu2"].pk)) in pairs, "the request is honoured"
    assert frozenset((regs["alu2"].pk, regs["uni"].pk)) not in pairs, "the decline is respected"
    assert frozenset((regs["alu1"].pk, regs["uni"].pk)) in pairs, "the best match meets"
    core = [schedule_edits.as_core(m) for m in meetings]
    assert schedule_violations(core, slots=event.slot_count, tables=event.table_count) == []
    assert schedule.total_score >= schedule.greedy_score
    # Not visible to participants until published.
    assert agenda(regs["alu1"]) == []
    client.force_login(regs["alu1"].registered_by)
    ticket_url = reverse("events:registration", args=[regs["alu1"].pk])
    assert "日程尚未发布" in client.get(ticket_url).content.decode()
    schedule_edits.publish_schedule(user=organizer, event=event)
    items = agenda(regs["alu1"])
    assert [i.partner.pk for i in items] == [regs["uni"].pk]
    html = client.get(reverse("events:registration", args=[regs["alu1"].pk])).content.decode()
    assert "滨州学院" in html and "领域" in html  # partner and the reason
    assert "食品研究所" not in html.split('id="agenda"')[1].split("</table>")[0]  # only one's own meetings


def test_hand_edits_are_validated_and_survive_regeneration(fair, organizer):
    event, regs = fair
    schedule_generation.generate_meeting_schedule(user=organizer, event=event, match_fn=None)
    m = Meeting.objects.filter(event=event).first()
    busy_slot = m.slot
    other = Meeting.objects.filter(event=event, slot=busy_slot).exclude(pk=m.pk).first()
    with pytest.raises(ValidationError) as error:
        schedule_edits.add_meeting(user=organizer, event=event, a=m.a, b=m.b, slot=(busy_slot + 1) % 3, table=0)
    assert "已安排过" in " ".join(error.value.messages)
    if other is not None:
        with pytest.raises(ValidationError):
            schedule_edits.move_meeting(user=organizer, meeting=m, slot=busy_slot, table=other.table)
    free = next((s, t) for s in range(3) for t in range(2)
                if not Meeting.objects.filter(event=event, slot=s, table=t).exists()
                and not Meeting.objects.filter(event=event, slot=s, a__in=[m.a, m.b]).exists()
                and not Meeting.objects.filter(event=event, slot=s, b__in=[m.a, m.b]).exists())
    schedule_edits.move_meeting(user=organizer, meeting=m, slot=free[0], table=free[1])
    schedule_generation.generate_meeting_schedule(user=organizer, event=event, match_fn=None)
    kept = Meeting.objects.get(pk=m.pk)
    assert (kept.slot, kept.table, kept.source) == (free[0], free[1], Meeting.Source.MANUAL)
    schedule_edits.cancel_meeting(user=organizer, meeting=kept)
    assert not Meeting.objects.filter(pk=m.pk).exists()


def test_requests_beyond_the_slots_are_listed_with_reasons(event_site, organizer, client):
    event = make_event(organizer=organizer, slot_count=1, table_count=5)
    hub = register(event)
    others = [register(event) for _ in range(3)]
    for other in others:
        meeting_preferences.set_preference(user=hub.registered_by, registration=hub, target=other,
                                           kind=MeetingPreference.Kind.REQUEST)
    schedule = schedule_generation.generate_meeting_schedule(user=organizer, event=event, match_fn=None)
    assert Meeting.objects.filter(event=event).count() == 1
    assert len(schedule.unfit) == 2 and {u["reason"] for u in schedule.unfit} == {"participant_full"}
    client.force_login(organizer)
    html = client.get(reverse("events:schedule", args=[event.pk])).content.decode()
    assert html.count("的洽谈已排满") == 2
    assert "matching" not in html and "search." not in html, "the page speaks to organizers, not engineers"

    # A request of a cancelled registration is stale: it disappears with the registration.
    unplaced = next(o for o in others if o.pk in {u["partner"] for u in schedule.unfit})
    registrations.cancel(user=unplaced.registered_by, registration=unplaced)
    html = client.get(reverse("events:schedule", args=[event.pk])).content.decode()
    assert html.count("的洽谈已排满") == 1 and unplaced.organization.name not in html


def test_schedule_pages_work_through_the_web(fair, organizer, client, django_capture_on_commit_callbacks):
    event, regs = fair
    client.force_login(organizer)
    # The generation is a task sent when the request commits; here it runs in-process (no broker).
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:schedule_action", args=[event.pk, "generate"]))
    assert Meeting.objects.filter(event=event).exists()
    response = client.post(reverse("events:schedule_action", args=[event.pk, "add"]),
                           {"a": regs["alu1"].pk, "b": regs["alu1"].pk, "slot": 1, "table": 1}, follow=True)
    assert "不能与自己洽谈" in response.content.decode()
    client.post(reverse("events:schedule_action", args=[event.pk, "publish"]))
    assert EventSchedule.objects.get(event=event).is_published
    stranger, _org = make_registrant()
    client.force_login(stranger)
    assert client.get(reverse("events:schedule", args=[event.pk])).status_code == 403
