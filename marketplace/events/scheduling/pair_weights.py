"""The problem in the form the algorithms work on: participants are indices 0..n-1, pairs are (i, j)
with i < j, and every allowed pair has one integer weight.

Integer weights keep the matching exact (networkx's blossom implementation uses only integer
arithmetic when every weight is an integer). Requested pairs carry a bonus larger than any achievable
sum of ordinary scores, so the lexicographic objective (requests first, then score) is one weight."""

from __future__ import annotations

from dataclasses import dataclass

from .constraints import schedule_violations
from .problem import Meeting, Participant, ScheduleError, ScheduleProblem

SCORE_SCALE = 1000  # scores are compared as integers in thousandths, so matching arithmetic is exact
POOL_FACTOR = 3  # see weigh_pairs

Pair = tuple[int, int]


@dataclass
class PairWeights:
    ids: list[Participant]
    slots: int
    tables: int
    cap: int  # meetings per participant
    weight: dict[Pair, int]  # allowed pairs only (declined removed), bonus included
    raw: dict[Pair, float]  # the caller's score
    requested: dict[Pair, list[int]]  # pair -> who asked (indices)
    declined: set[Pair]
    fixed: list[tuple[int, int, int, int]]  # (slot, table, i, j)
    fixed_meetings: list[Meeting]
    order: list[Pair]  # allowed pairs, heaviest first
    pool: list[Pair]  # the pairs the search considers, heaviest first (see weigh_pairs)
    adj: list[list[Pair]]  # each participant's pool pairs, heaviest first
    unknown_requests: list[tuple[Participant, Participant]]


def pair_key(i: int, j: int) -> Pair:
    return (i, j) if i < j else (j, i)


def weigh_pairs(problem: ScheduleProblem) -> PairWeights:
    """Index the participants, weigh every allowed pair, and validate the fixed meetings."""
    if problem.slots < 0 or problem.tables < 0:
        raise ScheduleError("slots and tables must be non-negative")
    ids = list(dict.fromkeys(problem.participants))
    index = {p: i for i, p in enumerate(ids)}
    n = len(ids)
    cap = problem.slots if problem.max_meetings_per_participant is None else min(
        problem.slots, problem.max_meetings_per_participant)

    raw: dict[Pair, float] = {}
    if callable(problem.scores):
        for i in range(n):
            for j in range(i + 1, n):
                s = problem.scores(ids[i], ids[j])
                if s and s > 0:
                    raw[(i, j)] = float(s)
    else:
        for (a, b), s in problem.scores.items():
            if a in index and b in index and a != b and s and s > 0:
                k = pair_key(index[a], index[b])
                raw[k] = max(raw.get(k, 0.0), float(s))

    declined: set[Pair] = set()
    for a, b in problem.declines:
        if a in index and b in index and a != b:
            declined.add(pair_key(index[a], index[b]))
    requested: dict[Pair, list[int]] = {}
    unknown: list[tuple[Participant, Participant]] = []
    for a, b in problem.requests:
        if a not in index or b not in index or a == b:
            unknown.append((a, b))
            continue
        requested.setdefault(pair_key(index[a], index[b]), []).append(index[a])

    scaled = {k: max(0, round(v * SCORE_SCALE)) for k, v in raw.items()}
    # A bonus above any achievable sum of ordinary weights makes "more requested meetings" always win.
    bonus = min(sum(scaled.values()), problem.slots * problem.tables * max(scaled.values(), default=0)) + 1
    weight: dict[Pair, int] = {}
    for k, w in scaled.items():
        if k not in declined and w > 0:
            weight[k] = w
    for k in requested:
        if k not in declined:
            weight[k] = bonus + scaled.get(k, 0)

    fixed: list[tuple[int, int, int, int]] = []
    fixed_meetings = list(problem.fixed)
    problems = schedule_violations(fixed_meetings, slots=problem.slots, tables=problem.tables,
                                   declines=problem.declines)
    if problems:
        raise ScheduleError("; ".join(problems))
    for m in fixed_meetings:
        if m.a not in index or m.b not in index:
            raise ScheduleError(f"fixed meeting {m.a}-{m.b} involves someone who is not a participant")
        fixed.append((m.slot, m.table, index[m.a], index[m.b]))

    order = sorted(weight, key=lambda k: (-weight[k], k))
    # The search works on a pool: each participant's POOL_FACTOR * cap best pairs, plus every request.
    # Someone who attends at most `cap` meetings rarely gains from a partner ranked far below that;
    # on sparse (realistic) score lists nothing is cut, on dense ones this bounds the running time.
    keep = POOL_FACTOR * max(cap, 1)
    ranked: list[list[Pair]] = [[] for _ in range(n)]
    for k in order:
        ranked[k[0]].append(k)
        ranked[k[1]].append(k)
    pool_set = {k for lst in ranked for k in lst[:keep]} | {k for k in requested if k in weight}
    pool = [k for k in order if k in pool_set]
    adj: list[list[Pair]] = [[] for _ in range(n)]
    for k in pool:
        adj[k[0]].append(k)
        adj[k[1]].append(k)
    return PairWeights(ids, problem.slots, problem.tables, cap, weight, raw, requested, declined, fixed,
                       fixed_meetings, order, pool, adj, unknown)
