"""Construction by matching: slot by slot, the heaviest set of at most `tables` meetings among pairs
not yet scheduled.

The meetings of one slot form a matching in the "who could usefully meet" graph. The graph is
general, not bipartite (an enterprise may meet an enterprise), so the maximum-weight matching is
Edmonds' blossom algorithm, taken from networkx. The table cap is ours: subtracting a constant lambda
from every weight shrinks the optimal matching, and a matching optimal at lambda weighs at least as
much as any matching with no more edges, so the smallest integer lambda giving <= `tables` edges is
searched for; a greedy fill tops up tables left free by ties at that lambda.
"""

from __future__ import annotations

import networkx as nx

from .draft import DraftSchedule
from .pair_weights import Pair, PairWeights, pair_key

Edge = tuple[int, int, int]  # (i, j, integer weight)


def max_weight_matching(edges: list[Edge]) -> list[Pair]:
    """The pairs of a maximum-weight matching (not maximum cardinality) of the edge list.
    Weights must be integers so networkx's arithmetic stays exact; edges of weight <= 0 never help."""
    if not edges:
        return []
    graph = nx.Graph()
    graph.add_weighted_edges_from(edges)
    return sorted(pair_key(i, j) for i, j in nx.max_weight_matching(graph))


def capped_matching(edges: list[Edge], cap: int, hint: int = 0) -> tuple[list[Pair], int]:
    """A maximum-weight matching with at most `cap` edges (see the module docstring), and the lambda
    used. `hint` is the previous slot's lambda: neighbouring slots need similar ones."""
    if cap <= 0 or not edges:
        return [], 0

    def size_ok(lam: int) -> tuple[bool, list[Pair]]:
        found = max_weight_matching([(i, j, w - lam) for i, j, w in edges if w > lam])
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


def per_slot_matching_draft(weights: PairWeights) -> DraftSchedule:
    draft = DraftSchedule(weights)
    lam = 0
    for slot in range(weights.slots):
        room = weights.tables - len(draft.slot_pairs[slot])
        if room <= 0:
            continue
        edges = [(i, j, weights.weight[(i, j)]) for (i, j) in weights.pool
                 if (i, j) not in draft.slot_of
                 and draft.at[i][slot] is None and draft.at[j][slot] is None
                 and draft.count[i] < weights.cap and draft.count[j] < weights.cap]
        chosen, lam = capped_matching(edges, room, lam)
        for k in chosen:
            draft.place(k, slot)
        # Ties at the Lagrangian breakpoint can leave tables free: fill them heaviest-first.
        for i, j, _w in edges:
            if len(draft.slot_pairs[slot]) >= weights.tables:
                break
            if (i, j) not in draft.slot_of and draft.can_place((i, j), slot):
                draft.place((i, j), slot)
    return draft
