"""The 1:1 meeting scheduler. Pure Python: no database, no search; the caller passes the pair scores in.

Problem: participants meet in pairs at tables during numbered time slots.
Hard constraints (checked by `schedule_violations`, which the tests run on every output):
  * a participant is in at most one meeting per slot;
  * a table holds at most one meeting per slot (so at most `tables` meetings per slot);
  * no pair meets twice;
  * a declined pair (either side declined) is never scheduled;
  * optionally, at most `max_meetings_per_participant` meetings each;
  * fixed (hand-placed) meetings stay where the organizer put them.
Objective, lexicographic: first the number of requested meetings, then the total match score.

Algorithm, and why:
  1. Per-slot maximum-weight matching with a table cap. Slot by slot, the meetings of one slot form a
     matching in the "who could usefully meet" graph; we take the heaviest matching of at most
     `tables` edges among pairs not yet scheduled (Edmonds' blossom algorithm, `blossom.py`; the graph
     is general, not bipartite, since any two participants may meet). The table cap is enforced exactly
     by Lagrangian relaxation: subtracting a constant lambda from every weight shrinks the optimal
     matching, and the matching polytope intersected with a cardinality bound is integral, so the
     smallest integer lambda giving <= `tables` edges yields a best matching of its size; a greedy fill
     tops up remaining tables. Requested pairs carry a bonus larger than the sum of all ordinary scores,
     so the lexicographic objective becomes one integer weight.
  2. Local improvement: for every pair not scheduled, try each slot, evicting the meetings in the way
     (the two partners' meetings in that slot, or the lightest meeting if the slot's tables are full),
     re-placing evicted meetings in another slot where both sides are free, and re-pairing the two freed
     partners if they may meet. A move is applied only when the total weight strictly rises, so the pass
     terminates and never loses quality.
  3. Safety net: a global greedy baseline (pairs by weight, each into the first feasible slot) is also
     computed; if it scores higher, the local improvement runs on it instead and the better result wins.
Why not plain greedy: it fills slots first-fit and strands heavy pairs whose partners' free slots do
not line up; the matching sees the whole slot at once, and the improvement pass repairs cross-slot
conflicts. Why not an exact global optimum: it is an edge-colouring problem (NP-hard in general); the
per-slot optimum plus repair is fast (the 300-participant benchmark runs in seconds) and measurably
better than greedy (see bench/schedule_bench.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .blossom import max_weight_matching

SCORE_SCALE = 1000  # scores are compared as integers in thousandths, so matching arithmetic is exact
POOL_FACTOR = 3  # see _prepare

Participant = Hashable
ScoreInput = Mapping[tuple[Participant, Participant], float] | Callable[[Participant, Participant], float]


@dataclass(frozen=True)
class Meeting:
    slot: int
    table: int
    a: Participant
    b: Participant
    score: float = 0.0
    requested: bool = False
    fixed: bool = False
    reasons: tuple[str, ...] = ()

    @property
    def pair(self) -> frozenset:
        return frozenset((self.a, self.b))

    def involves(self, participant: Participant) -> bool:
        return participant in (self.a, self.b)

    def partner_of(self, participant: Participant) -> Participant:
        return self.b if participant == self.a else self.a


# Why a requested meeting was left out. Codes are stable; the service layer turns them into text.
UNFIT_DECLINED = "declined"
UNFIT_NOT_PARTICIPANT = "not_participant"
UNFIT_PARTICIPANT_FULL = "participant_full"
UNFIT_NO_COMMON_SLOT = "no_common_slot"
UNFIT_TABLES_FULL = "tables_full"


@dataclass(frozen=True)
class Unfit:
    requester: Participant
    partner: Participant
    reason: str  # one of the UNFIT_* codes
    who: Participant | None = None  # the participant who is full / unknown, when that is the reason


@dataclass
class ScheduleProblem:
    participants: Sequence[Participant]
    slots: int
    tables: int
    scores: ScoreInput
    requests: Iterable[tuple[Participant, Participant]] = ()  # (who asks, whom)
    declines: Iterable[tuple[Participant, Participant]] = ()  # (who declines, whom)
    fixed: Iterable[Meeting] = ()
    max_meetings_per_participant: int | None = None
    reasons: Mapping[frozenset, Sequence[str]] = field(default_factory=dict)


@dataclass
class ScheduleResult:
    meetings: list[Meeting]
    unfit: list[Unfit]
    total_score: float
    requested_met: int
    algorithm: str
    seconds: float = 0.0

    def agenda(self, participant: Participant) -> list[Meeting]:
        return sorted((m for m in self.meetings if m.involves(participant)), key=lambda m: m.slot)


class ScheduleError(ValueError):
    """The input itself is inconsistent (e.g. two fixed meetings at one table)."""


# --------------------------------------------------------------------------------------------------
# Constraint checks (shared by the generator, hand edits and the tests)

def schedule_violations(meetings: Iterable[Meeting], *, slots: int, tables: int,
                        declines: Iterable[tuple[Participant, Participant]] = (),
                        max_meetings_per_participant: int | None = None) -> list[str]:
    """Every broken hard constraint, as text; empty when the schedule is valid."""
    problems: list[str] = []
    declined = {frozenset(p) for p in declines}
    busy: set[tuple[Participant, int]] = set()
    used_tables: set[tuple[int, int]] = set()
    pairs: set[frozenset] = set()
    counts: dict[Participant, int] = {}
    for m in meetings:
        if m.a == m.b:
            problems.append(f"{m.a} meets itself")
        if not 0 <= m.slot < slots:
            problems.append(f"slot {m.slot} out of range")
        if not 0 <= m.table < tables:
            problems.append(f"table {m.table} out of range")
        for p in (m.a, m.b):
            if (p, m.slot) in busy:
                problems.append(f"{p} double-booked in slot {m.slot}")
            busy.add((p, m.slot))
            counts[p] = counts.get(p, 0) + 1
        if (m.slot, m.table) in used_tables:
            problems.append(f"table {m.table} double-booked in slot {m.slot}")
        used_tables.add((m.slot, m.table))
        if m.pair in pairs:
            problems.append(f"{m.a} and {m.b} meet twice")
        pairs.add(m.pair)
        if m.pair in declined:
            problems.append(f"{m.a} and {m.b} declined to meet")
    if max_meetings_per_participant is not None:
        problems.extend(f"{p} has {n} meetings (max {max_meetings_per_participant})"
                        for p, n in counts.items() if n > max_meetings_per_participant)
    return problems


def placement_problems(meetings: Iterable[Meeting], candidate: Meeting, *, slots: int, tables: int,
                       declines: Iterable[tuple[Participant, Participant]] = (),
                       ignore: Meeting | None = None) -> list[str]:
    """Why `candidate` cannot join `meetings` (minus `ignore`, the meeting being moved). Codes, not text:
    'slot', 'table_range', 'self', 'a_busy', 'b_busy', 'table_taken', 'duplicate', 'declined'."""
    found: list[str] = []
    if not 0 <= candidate.slot < slots:
        found.append("slot")
    if not 0 <= candidate.table < tables:
        found.append("table_range")
    if candidate.a == candidate.b:
        found.append("self")
    if candidate.pair in {frozenset(p) for p in declines}:
        found.append("declined")
    for m in meetings:
        if ignore is not None and m == ignore:
            continue
        if m.slot == candidate.slot:
            if m.involves(candidate.a):
                found.append("a_busy")
            if m.involves(candidate.b):
                found.append("b_busy")
            if m.table == candidate.table:
                found.append("table_taken")
        if m.pair == candidate.pair:
            found.append("duplicate")
    return sorted(set(found))


# --------------------------------------------------------------------------------------------------
# Internal state: participants are indices 0..n-1, pairs are (i, j) with i < j, weights integers.

@dataclass
class _Prepared:
    ids: list[Participant]
    slots: int
    tables: int
    cap: int  # meetings per participant
    weight: dict[tuple[int, int], int]  # allowed pairs only (declined removed), bonus included
    raw: dict[tuple[int, int], float]  # the caller's score
    requested: dict[tuple[int, int], list[int]]  # pair -> who asked (indices)
    declined: set[tuple[int, int]]
    fixed: list[tuple[int, int, int, int]]  # (slot, table, i, j)
    fixed_meetings: list[Meeting]
    order: list[tuple[int, int]]  # allowed pairs, heaviest first
    pool: list[tuple[int, int]]  # the pairs the search considers, heaviest first (see _prepare)
    adj: list[list[tuple[int, int]]]  # each participant's pool pairs, heaviest first
    unknown_requests: list[tuple[Participant, Participant]]


def _key(i: int, j: int) -> tuple[int, int]:
    return (i, j) if i < j else (j, i)


def _prepare(problem: ScheduleProblem) -> _Prepared:
    if problem.slots < 0 or problem.tables < 0:
        raise ScheduleError("slots and tables must be non-negative")
    ids = list(dict.fromkeys(problem.participants))
    index = {p: i for i, p in enumerate(ids)}
    n = len(ids)
    cap = problem.slots if problem.max_meetings_per_participant is None else min(
        problem.slots, problem.max_meetings_per_participant)

    raw: dict[tuple[int, int], float] = {}
    if callable(problem.scores):
        for i in range(n):
            for j in range(i + 1, n):
                s = problem.scores(ids[i], ids[j])
                if s and s > 0:
                    raw[(i, j)] = float(s)
    else:
        for (a, b), s in problem.scores.items():
            if a in index and b in index and a != b and s and s > 0:
                k = _key(index[a], index[b])
                raw[k] = max(raw.get(k, 0.0), float(s))

    declined: set[tuple[int, int]] = set()
    for a, b in problem.declines:
        if a in index and b in index and a != b:
            declined.add(_key(index[a], index[b]))
    requested: dict[tuple[int, int], list[int]] = {}
    unknown: list[tuple[Participant, Participant]] = []
    for a, b in problem.requests:
        if a not in index or b not in index or a == b:
            unknown.append((a, b))
            continue
        requested.setdefault(_key(index[a], index[b]), []).append(index[a])

    scaled = {k: max(0, round(v * SCORE_SCALE)) for k, v in raw.items()}
    # A bonus above any achievable sum of ordinary weights makes "more requested meetings" always win.
    bonus = min(sum(scaled.values()), problem.slots * problem.tables * max(scaled.values(), default=0)) + 1
    weight: dict[tuple[int, int], int] = {}
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
    ranked: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for k in order:
        ranked[k[0]].append(k)
        ranked[k[1]].append(k)
    pool_set = {k for lst in ranked for k in lst[:keep]} | {k for k in requested if k in weight}
    pool = [k for k in order if k in pool_set]
    adj: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for k in pool:
        adj[k[0]].append(k)
        adj[k[1]].append(k)
    return _Prepared(ids, problem.slots, problem.tables, cap, weight, raw, requested, declined, fixed,
                     fixed_meetings, order, pool, adj, unknown)


class _State:
    """A schedule under construction: who is where, counts per slot and per participant."""

    def __init__(self, prep: _Prepared):
        self.prep = prep
        n = len(prep.ids)
        self.at: list[list[tuple[int, int] | None]] = [[None] * prep.slots for _ in range(n)]
        self.slot_of: dict[tuple[int, int], int] = {}
        self.slot_pairs: list[set[tuple[int, int]]] = [set() for _ in range(prep.slots)]
        self.count = [0] * n
        self.fixed_pairs: set[tuple[int, int]] = set()
        for slot, _table, i, j in prep.fixed:
            k = _key(i, j)
            self.place(k, slot)
            self.fixed_pairs.add(k)

    def place(self, k: tuple[int, int], slot: int) -> None:
        i, j = k
        self.at[i][slot] = k
        self.at[j][slot] = k
        self.slot_of[k] = slot
        self.slot_pairs[slot].add(k)
        self.count[i] += 1
        self.count[j] += 1

    def remove(self, k: tuple[int, int]) -> int:
        slot = self.slot_of.pop(k)
        i, j = k
        self.at[i][slot] = None
        self.at[j][slot] = None
        self.slot_pairs[slot].discard(k)
        self.count[i] -= 1
        self.count[j] -= 1
        return slot

    def can_place(self, k: tuple[int, int], slot: int) -> bool:
        i, j = k
        return (self.at[i][slot] is None and self.at[j][slot] is None
                and len(self.slot_pairs[slot]) < self.prep.tables
                and self.count[i] < self.prep.cap and self.count[j] < self.prep.cap)

    def total(self) -> int:
        w = self.prep.weight
        return sum(w.get(k, 0) for k in self.slot_of)


# --------------------------------------------------------------------------------------------------
# Construction 1: the greedy baseline

def _greedy(prep: _Prepared) -> _State:
    state = _State(prep)
    for k in prep.order:
        if k in state.slot_of:
            continue
        for slot in range(prep.slots):
            if state.can_place(k, slot):
                state.place(k, slot)
                break
    return state


# Construction 2: per-slot maximum-weight matching with a table cap

def _matching(edges: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Maximum-weight matching on an edge list over arbitrary vertex ids (renumbered densely)."""
    if not edges:
        return []
    local: dict[int, int] = {}
    dense = []
    for i, j, w in edges:
        dense.append((local.setdefault(i, len(local)), local.setdefault(j, len(local)), w))
    back = {v: k for k, v in local.items()}
    mate = max_weight_matching(dense)
    return [_key(back[v], back[m]) for v, m in enumerate(mate) if m > v]


def _capped_matching(edges: list[tuple[int, int, int]], cap: int, hint: int = 0) -> tuple[list, int]:
    """A maximum-weight matching with at most `cap` edges (see the module docstring), and the lambda
    used. `hint` is the previous slot's lambda: neighbouring slots need similar ones."""
    if cap <= 0 or not edges:
        return [], 0

    def size_ok(lam: int) -> tuple[bool, list]:
        found = _matching([(i, j, w - lam) for i, j, w in edges if w > lam])
        return len(found) <= cap, found

    # Any maximum-weight matching (positive weights) is maximal, so it has at least half as many edges
    # as a greedy maximal matching: when that already exceeds 2 * cap, skip the unconstrained solve.
    used: set[int] = set()
    greedy_size = 0
    for i, j, _w in sorted(edges, key=lambda e: -e[2]):
        if i not in used and j not in used:
            used.update((i, j))
            greedy_size += 1
    if greedy_size <= 2 * cap:
        ok, found = size_ok(0)
        if ok:
            return found, 0
    top = max(w for _, _, w in edges)
    lo, hi, best = 0, top, []  # size(lo) > cap, size(hi) <= cap (hi = top leaves no edge)
    if 0 < hint < top:
        ok, found = size_ok(hint)
        if ok:
            hi, best = hint, found
            step = max(1, hint // 8)
            while hi - step > lo:  # walk down until the matching is too big
                ok, found = size_ok(hi - step)
                if not ok:
                    lo = hi - step
                    break
                hi, best = hi - step, found
                step *= 2
        else:
            lo = hint
    while hi - lo > 1:
        mid = (lo + hi) // 2
        ok, found = size_ok(mid)
        if ok:
            hi, best = mid, found
            if len(found) == cap:
                break
        else:
            lo = mid
    return best, hi


def _per_slot_matching(prep: _Prepared) -> _State:
    state = _State(prep)
    lam = 0
    for slot in range(prep.slots):
        room = prep.tables - len(state.slot_pairs[slot])
        if room <= 0:
            continue
        edges = [(i, j, prep.weight[(i, j)]) for (i, j) in prep.pool
                 if (i, j) not in state.slot_of
                 and state.at[i][slot] is None and state.at[j][slot] is None
                 and state.count[i] < prep.cap and state.count[j] < prep.cap]
        chosen, lam = _capped_matching(edges, room, lam)
        for k in chosen:
            state.place(k, slot)
        # Ties at the Lagrangian breakpoint can leave tables free: fill them heaviest-first.
        for i, j, _w in edges:
            if len(state.slot_pairs[slot]) >= prep.tables:
                break
            if (i, j) not in state.slot_of and state.can_place((i, j), slot):
                state.place((i, j), slot)
    return state


# Improvement: evict-and-repair moves, applied only when the total weight strictly rises

def _try_insert(state: _State, k: tuple[int, int], deadline: float) -> bool:
    """Place the unscheduled pair k in the slot where that raises the total most, if any does."""
    prep = state.prep
    w = prep.weight
    i, j = k
    best_gain, best_slot = 0, -1
    for slot in range(prep.slots):
        if w[k] <= best_gain:
            break  # no later slot can gain more than the pair's own weight
        gain = _apply_insert(state, k, slot, commit=False)
        if gain is not None and gain > best_gain:
            best_gain, best_slot = gain, slot
    if best_slot < 0 or time.perf_counter() > deadline:
        return False
    _apply_insert(state, k, best_slot, commit=True)
    return True


def _apply_insert(state: _State, k: tuple[int, int], slot: int, *, commit: bool) -> int | None:
    """Evict what is in the way of k in `slot`, place k, re-place the evicted meetings elsewhere and
    re-pair the two freed partners if they may meet. Returns the weight gained (None: impossible).
    With commit=False every change is undone before returning."""
    prep = state.prep
    w = prep.weight
    i, j = k
    evict = {p for p in (state.at[i][slot], state.at[j][slot]) if p is not None}
    if evict & state.fixed_pairs:
        return None
    # A participant's count drops only if its meeting in this slot is evicted.
    if (state.count[i] - (state.at[i][slot] is not None) >= prep.cap
            or state.count[j] - (state.at[j][slot] is not None) >= prep.cap):
        return None
    if len(state.slot_pairs[slot]) - len(evict) + 1 > prep.tables:
        movable = [p for p in state.slot_pairs[slot] if p not in evict and p not in state.fixed_pairs]
        if not movable:
            return None
        evict.add(min(movable, key=lambda p: (w.get(p, 0), p)))
    gain = w[k]
    undo: list[tuple[int, int]] = []  # pairs placed here, removed again when not committing
    for p in evict:
        state.remove(p)
        gain -= w.get(p, 0)
    state.place(k, slot)
    undo.append(k)
    for p in sorted(evict, key=lambda p: (-w.get(p, 0), p)):
        for s in range(prep.slots):
            if s != slot and state.can_place(p, s):
                state.place(p, s)
                undo.append(p)
                gain += w.get(p, 0)
                break
    # Partners left alone in this slot take their best partner who is free there too.
    for f in (v for p in evict for v in p if v not in k):
        if state.at[f][slot] is not None or state.count[f] >= prep.cap:
            continue
        for q in prep.adj[f]:
            if q not in state.slot_of and state.can_place(q, slot):
                state.place(q, slot)
                undo.append(q)
                gain += w[q]
                break
    if not commit:
        for p in reversed(undo):
            state.remove(p)
        for p in evict:
            state.place(p, slot)  # every evicted meeting came from this slot
    return gain


def _improve(state: _State, deadline: float, max_passes: int = 20) -> _State:
    prep = state.prep
    for _ in range(max_passes):
        changed = False
        for k in prep.pool:
            if time.perf_counter() > deadline:
                return state
            if k not in state.slot_of and _try_insert(state, k, deadline):
                changed = True
        if not changed:
            break
    return state


# --------------------------------------------------------------------------------------------------
# Results

def _assign_tables(state: _State) -> dict[tuple[int, int], int]:
    """Fixed meetings keep their table; the rest take the lowest free table, heaviest first."""
    prep = state.prep
    tables: dict[tuple[int, int], int] = {}
    taken: list[set[int]] = [set() for _ in range(prep.slots)]
    for slot, table, i, j in prep.fixed:
        tables[_key(i, j)] = table
        taken[slot].add(table)
    for slot in range(prep.slots):
        free = (t for t in range(prep.tables) if t not in taken[slot])
        for k in sorted(state.slot_pairs[slot], key=lambda p: (-prep.weight.get(p, 0), p)):
            if k not in tables:
                tables[k] = next(free)
    return tables


def _result(state: _State, algorithm: str, seconds: float, reasons: Mapping[frozenset, Sequence[str]]
            ) -> ScheduleResult:
    prep = state.prep
    ids = prep.ids
    tables = _assign_tables(state)
    fixed_by_pair = {m.pair: m for m in prep.fixed_meetings}
    meetings: list[Meeting] = []
    for k, slot in state.slot_of.items():
        a, b = ids[k[0]], ids[k[1]]
        pair = frozenset((a, b))
        if pair in fixed_by_pair:
            meetings.append(fixed_by_pair[pair])
            continue
        meetings.append(Meeting(slot=slot, table=tables[k], a=a, b=b, score=prep.raw.get(k, 0.0),
                                requested=k in prep.requested, reasons=tuple(reasons.get(pair, ()))))
    meetings.sort(key=lambda m: (m.slot, m.table))
    return ScheduleResult(
        meetings=meetings, unfit=_unfit(state), total_score=sum(m.score for m in meetings),
        requested_met=sum(1 for k in state.slot_of if k in prep.requested), algorithm=algorithm,
        seconds=seconds)


def _unfit(state: _State) -> list[Unfit]:
    prep = state.prep
    ids = prep.ids
    known = set(ids)
    out = [Unfit(a, b, UNFIT_NOT_PARTICIPANT, b if a in known else a) for a, b in prep.unknown_requests]
    for k, askers in sorted(prep.requested.items()):
        if k in state.slot_of:
            continue
        i, j = k
        for asker in askers:
            other = j if asker == i else i
            requester, partner = ids[asker], ids[other]
            if k in prep.declined:
                out.append(Unfit(requester, partner, UNFIT_DECLINED, partner))
                continue
            full = [v for v in (asker, other) if state.count[v] >= prep.cap
                    or all(state.at[v][s] is not None for s in range(prep.slots))]
            if full:
                out.append(Unfit(requester, partner, UNFIT_PARTICIPANT_FULL, ids[full[0]]))
            elif any(state.at[i][s] is None and state.at[j][s] is None for s in range(prep.slots)):
                out.append(Unfit(requester, partner, UNFIT_TABLES_FULL))
            else:
                out.append(Unfit(requester, partner, UNFIT_NO_COMMON_SLOT))
    return out


def generate_schedule(problem: ScheduleProblem, *, time_budget: float = 60.0) -> ScheduleResult:
    """The best schedule we can find, plus every requested meeting that did not fit and why."""
    started = time.perf_counter()
    deadline = started + time_budget
    prep = _prepare(problem)
    matched = _improve(_per_slot_matching(prep), deadline)
    greedy = _greedy(prep)
    algorithm = "per-slot max-weight matching + local improvement"
    best = matched
    if greedy.total() > matched.total():
        improved = _improve(greedy, deadline)
        if improved.total() > matched.total():
            best, algorithm = improved, "greedy + local improvement (beat the matching on this input)"
    return _result(best, algorithm, time.perf_counter() - started, problem.reasons)


def greedy_schedule(problem: ScheduleProblem) -> ScheduleResult:
    """The baseline: pairs by weight (requested first), each into the first slot where it fits."""
    started = time.perf_counter()
    prep = _prepare(problem)
    return _result(_greedy(prep), "greedy", time.perf_counter() - started, problem.reasons)
