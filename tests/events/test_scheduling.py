"""The 1:1 scheduler core (pure Python, no database): hard constraints on every output, requested
meetings first, declines never, a clear list of what did not fit, and never worse than greedy."""

import itertools
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.events.scheduling import (
    UNFIT_DECLINED,
    UNFIT_NOT_PARTICIPANT,
    UNFIT_PARTICIPANT_FULL,
    Meeting,
    ScheduleProblem,
    generate_schedule,
    greedy_schedule,
    placement_problems,
    schedule_violations,
)
from marketplace.events.scheduling.slot_matching import capped_matching, max_weight_matching


def _heaviest_matching_by_size(n: int, edges: list[tuple[int, int, int]]) -> dict[int, int]:
    """By trying every matching: for each number of edges, the weight of the heaviest matching of that size."""
    weight = {frozenset((i, j)): w for i, j, w in edges}
    best: dict[int, int] = {}

    def walk(v: int, used: frozenset, total: int, size: int) -> None:
        while v < n and v in used:
            v += 1
        if v >= n:
            best[size] = max(best.get(size, 0), total)
            return
        walk(v + 1, used | {v}, total, size)
        for u in range(v + 1, n):
            if u not in used and frozenset((v, u)) in weight:
                walk(v + 1, used | {v, u}, total + weight[frozenset((v, u))], size + 1)

    walk(0, frozenset(), 0, 0)
    return best


def _brute_force_matching(n: int, edges: list[tuple[int, int, int]], max_edges: int | None = None) -> int:
    """The weight of the heaviest matching with at most `max_edges` edges."""
    by_size = _heaviest_matching_by_size(n, edges)
    return max(w for size, w in by_size.items() if max_edges is None or size <= max_edges)


def _matching_weight(pairs: list[tuple[int, int]], edges: list[tuple[int, int, int]]) -> int:
    """Total weight of `pairs`, after checking they are edges of the graph and share no vertex."""
    weight = {frozenset((i, j)): w for i, j, w in edges}
    ends = [v for pair in pairs for v in pair]
    assert len(ends) == len(set(ends)), "a participant appears in two meetings of one slot"
    assert all(frozenset(pair) in weight for pair in pairs), "a meeting between people with no edge"
    return sum(weight[frozenset(pair)] for pair in pairs)


@st.composite
def graphs(draw):
    n = draw(st.integers(min_value=2, max_value=9))
    pairs = [p for p in itertools.combinations(range(n), 2) if draw(st.booleans())]
    weights = draw(st.lists(st.integers(min_value=1, max_value=60), min_size=len(pairs), max_size=len(pairs)))
    return n, [(i, j, w) for (i, j), w in zip(pairs, weights, strict=True)]


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_slot_matching_is_a_maximum_weight_matching(graph):
    n, edges = graph
    assert _matching_weight(max_weight_matching(edges), edges) == _brute_force_matching(n, edges)


@settings(max_examples=300, deadline=None)
@given(graphs(), st.integers(min_value=1, max_value=4))
def test_table_capped_matching_fits_the_tables_and_is_the_best_the_lambda_search_can_give(graph, cap):
    n, edges = graph
    pairs, lam = capped_matching(edges, cap)
    weight = _matching_weight(pairs, edges)
    assert len(pairs) <= cap, "more meetings than tables in a slot"
    # Optimal for weights minus lambda, so no matching with as few edges weighs more.
    assert weight == _brute_force_matching(n, edges, max_edges=len(pairs))
    if len(pairs) < cap:
        if lam == 0:
            assert weight == _brute_force_matching(n, edges), "the heaviest matching fits: it must be taken"
        else:
            # lambda is the smallest integer that makes the matching fit: one less, and some matching
            # with more edges than tables is at least as good as every one that fits. (Between two
            # integers the best size can jump past `cap`; the caller then tops the slot up greedily.)
            by_size = _heaviest_matching_by_size(n, edges)
            fits = max(w - (lam - 1) * size for size, w in by_size.items() if size <= cap)
            too_many = max((w - (lam - 1) * size for size, w in by_size.items() if size > cap), default=None)
            assert too_many is not None and too_many >= fits, f"lambda {lam} is not the smallest that fits"


@st.composite
def problems(draw):
    n = draw(st.integers(min_value=2, max_value=24))
    people = [f"p{i}" for i in range(n)]
    slots = draw(st.integers(min_value=1, max_value=5))
    tables = draw(st.integers(min_value=1, max_value=6))
    rnd = random.Random(draw(st.integers(min_value=0, max_value=10**6)))
    density = draw(st.sampled_from([0.15, 0.4, 0.9]))
    scores = {(a, b): rnd.randint(1, 100)
              for a, b in itertools.combinations(people, 2) if rnd.random() < density}
    requests = [(rnd.choice(people), rnd.choice(people)) for _ in range(draw(st.integers(0, 8)))]
    declines = [(rnd.choice(people), rnd.choice(people)) for _ in range(draw(st.integers(0, 5)))]
    cap = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=4)))
    return ScheduleProblem(participants=people, slots=slots, tables=tables, scores=scores,
                           requests=[r for r in requests if r[0] != r[1]],
                           declines=[d for d in declines if d[0] != d[1]], max_meetings_per_participant=cap)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_constraints_hold_and_result_is_never_worse_than_greedy(problem):
    result = generate_schedule(problem)
    assert schedule_violations(result.meetings, slots=problem.slots, tables=problem.tables,
                               declines=problem.declines,
                               max_meetings_per_participant=problem.max_meetings_per_participant) == []
    baseline = greedy_schedule(problem)
    assert schedule_violations(baseline.meetings, slots=problem.slots, tables=problem.tables,
                               declines=problem.declines,
                               max_meetings_per_participant=problem.max_meetings_per_participant) == []
    # Requested meetings come first; with them equal, the total score decides.
    assert (result.requested_met, result.total_score) >= (baseline.requested_met, baseline.total_score)
    # Every requested pair is either scheduled or explained.
    scheduled = {m.pair for m in result.meetings}
    explained = {frozenset((u.requester, u.partner)) for u in result.unfit}
    for a, b in problem.requests:
        assert frozenset((a, b)) in scheduled or frozenset((a, b)) in explained


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.data())
def test_fixed_meetings_stay_where_the_organizer_put_them(problem, data):
    people = list(problem.participants)
    a, b = data.draw(st.sampled_from(list(itertools.combinations(people, 2))))
    declined = {frozenset(d) for d in problem.declines}
    if frozenset((a, b)) in declined:
        return
    fixed = Meeting(slot=problem.slots - 1, table=problem.tables - 1, a=a, b=b, fixed=True)
    problem.fixed = [fixed]
    result = generate_schedule(problem)
    assert fixed in result.meetings
    assert schedule_violations(result.meetings, slots=problem.slots, tables=problem.tables,
                               declines=problem.declines) == []


def test_matching_beats_greedy_where_greedy_is_short_sighted():
    # A path a-b-c-d: greedy takes the heaviest edge b-c (3) and strands a and d; the best single slot
    # with two tables is a-b + c-d (4).
    problem = ScheduleProblem(participants=["a", "b", "c", "d"], slots=1, tables=2,
                              scores={("a", "b"): 2, ("b", "c"): 3, ("c", "d"): 2})
    assert greedy_schedule(problem).total_score == 3
    result = generate_schedule(problem)
    assert result.total_score == 4
    assert {m.pair for m in result.meetings} == {frozenset("ab"), frozenset("cd")}


def test_table_cap_is_respected_by_the_matching():
    # Four disjoint good pairs but only two tables in one slot: the two best pairs meet.
    scores = {("a", "b"): 10, ("c", "d"): 9, ("e", "f"): 8, ("g", "h"): 7}
    problem = ScheduleProblem(participants=list("abcdefgh"), slots=1, tables=2, scores=scores)
    result = generate_schedule(problem)
    assert {m.pair for m in result.meetings} == {frozenset("ab"), frozenset("cd")}


def test_requested_meetings_are_scheduled_before_better_scoring_pairs():
    scores = {("a", "b"): 90, ("c", "d"): 80, ("a", "c"): 1}
    problem = ScheduleProblem(participants=list("abcd"), slots=1, tables=1, scores=scores,
                              requests=[("a", "c")])
    result = generate_schedule(problem)
    assert [m.pair for m in result.meetings] == [frozenset("ac")]
    assert result.meetings[0].requested


def test_declined_pairs_are_never_scheduled_even_when_requested_or_best():
    scores = {("a", "b"): 99, ("a", "c"): 5}
    problem = ScheduleProblem(participants=list("abc"), slots=2, tables=2, scores=scores,
                              requests=[("a", "b")], declines=[("b", "a")])
    result = generate_schedule(problem)
    assert frozenset("ab") not in {m.pair for m in result.meetings}
    assert [(u.requester, u.partner, u.reason) for u in result.unfit] == [("a", "b", UNFIT_DECLINED)]


def test_more_requests_than_slots_gives_the_best_schedule_and_lists_what_did_not_fit():
    # "hub" asks for five meetings but there are only three slots: three happen, two are explained.
    partners = ["p1", "p2", "p3", "p4", "p5"]
    scores = {("hub", p): s for p, s in zip(partners, [50, 40, 30, 20, 10], strict=True)}
    problem = ScheduleProblem(participants=["hub", *partners], slots=3, tables=5, scores=scores,
                              requests=[("hub", p) for p in partners] + [("hub", "stranger")])
    result = generate_schedule(problem)
    met = sorted(m.partner_of("hub") for m in result.meetings)
    assert met == ["p1", "p2", "p3"], "the best-scoring requested partners get the slots"
    reasons = {(u.partner, u.reason, u.who) for u in result.unfit}
    assert ("p4", UNFIT_PARTICIPANT_FULL, "hub") in reasons
    assert ("p5", UNFIT_PARTICIPANT_FULL, "hub") in reasons
    assert ("stranger", UNFIT_NOT_PARTICIPANT, "stranger") in reasons


def test_score_can_be_a_function_and_agenda_lists_a_participants_meetings_in_order():
    def score(x, y):
        return 1.0 if {x, y} in ({"a", "b"}, {"a", "c"}) else 0.0

    result = generate_schedule(ScheduleProblem(participants=list("abc"), slots=2, tables=1, scores=score,
                                               reasons={frozenset("ab"): ["同领域"]}))
    agenda = result.agenda("a")
    assert [m.partner_of("a") for m in agenda] in (["b", "c"], ["c", "b"])
    assert [m.slot for m in agenda] == [0, 1]
    assert next(m for m in agenda if m.partner_of("a") == "b").reasons == ("同领域",)


def test_placement_problems_name_each_broken_rule():
    existing = [Meeting(slot=0, table=0, a="a", b="b")]
    assert placement_problems(existing, Meeting(slot=0, table=1, a="a", b="c"), slots=2, tables=2) == [
        "a_busy"]
    assert placement_problems(existing, Meeting(slot=0, table=0, a="c", b="d"), slots=2, tables=2) == [
        "table_taken"]
    assert placement_problems(existing, Meeting(slot=1, table=0, a="b", b="a"), slots=2, tables=2) == [
        "duplicate"]
    assert placement_problems(existing, Meeting(slot=5, table=9, a="c", b="d"), slots=2, tables=2) == [
        "slot", "table_range"]
    assert placement_problems([], Meeting(slot=0, table=0, a="c", b="d"), slots=1, tables=1,
                              declines=[("d", "c")]) == ["declined"]
    assert placement_problems(existing, Meeting(slot=1, table=1, a="c", b="d"), slots=2, tables=2) == []


def test_violations_are_reported():
    bad = [Meeting(slot=0, table=0, a="a", b="b"), Meeting(slot=0, table=0, a="a", b="c"),
           Meeting(slot=1, table=0, a="b", b="a")]
    problems = schedule_violations(bad, slots=2, tables=1)
    assert any("double-booked in slot 0" in p for p in problems)
    assert any("table 0 double-booked" in p for p in problems)
    assert any("meet twice" in p for p in problems)
