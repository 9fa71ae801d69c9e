"""The local-improvement pass: evict-and-repair moves, applied only when the total weight strictly
rises, so the pass terminates and never loses quality.

For every pair not scheduled it tries each slot, evicting the meetings in the way (the two partners'
meetings in that slot, or the lightest meeting if the slot's tables are full), re-placing evicted
meetings in another slot where both sides are free, and re-pairing the two freed partners if they may
meet. This repairs the cross-slot conflicts a slot-by-slot construction cannot see."""

from __future__ import annotations

import time

from .draft import DraftSchedule
from .pair_weights import Pair


def improve(draft: DraftSchedule, deadline: float, max_passes: int = 20) -> DraftSchedule:
    """Apply improving moves until none is left, `max_passes` sweeps are done or `deadline`
    (a time.perf_counter() value) passes. Edits `draft` in place and returns it."""
    weights = draft.weights
    for _ in range(max_passes):
        changed = False
        for k in weights.pool:
            if time.perf_counter() > deadline:
                return draft
            if k not in draft.slot_of and _try_insert(draft, k, deadline):
                changed = True
        if not changed:
            break
    return draft


def _try_insert(draft: DraftSchedule, k: Pair, deadline: float) -> bool:
    """Place the unscheduled pair k in the slot where that raises the total most, if any does."""
    weights = draft.weights
    w = weights.weight
    best_gain, best_slot = 0, -1
    for slot in range(weights.slots):
        if w[k] <= best_gain:
            break  # no later slot can gain more than the pair's own weight
        gain = _apply_insert(draft, k, slot, commit=False)
        if gain is not None and gain > best_gain:
            best_gain, best_slot = gain, slot
    if best_slot < 0 or time.perf_counter() > deadline:
        return False
    _apply_insert(draft, k, best_slot, commit=True)
    return True


def _apply_insert(draft: DraftSchedule, k: Pair, slot: int, *, commit: bool) -> int | None:
    """Evict what is in the way of k in `slot`, place k, re-place the evicted meetings elsewhere and
    re-pair the two freed partners if they may meet. Returns the weight gained (None: impossible).
    With commit=False every change is undone before returning."""
    weights = draft.weights
    w = weights.weight
    i, j = k
    evict = {p for p in (draft.at[i][slot], draft.at[j][slot]) if p is not None}
    if evict & draft.fixed_pairs:
        return None
    # A participant's count drops only if its meeting in this slot is evicted.
    if (draft.count[i] - (draft.at[i][slot] is not None) >= weights.cap
            or draft.count[j] - (draft.at[j][slot] is not None) >= weights.cap):
        return None
    if len(draft.slot_pairs[slot]) - len(evict) + 1 > weights.tables:
        movable = [p for p in draft.slot_pairs[slot] if p not in evict and p not in draft.fixed_pairs]
        if not movable:
            return None
        evict.add(min(movable, key=lambda p: (w.get(p, 0), p)))
    gain = w[k]
    undo: list[Pair] = []  # pairs placed here, removed again when not committing
    for p in evict:
        draft.remove(p)
        gain -= w.get(p, 0)
    draft.place(k, slot)
    undo.append(k)
    for p in sorted(evict, key=lambda p: (-w.get(p, 0), p)):
        for s in range(weights.slots):
            if s != slot and draft.can_place(p, s):
                draft.place(p, s)
                undo.append(p)
                gain += w.get(p, 0)
                break
    # Partners left alone in this slot take their best partner who is free there too.
    for f in (v for p in evict for v in p if v not in k):
        if draft.at[f][slot] is not None or draft.count[f] >= weights.cap:
            continue
        for q in weights.adj[f]:
            if q not in draft.slot_of and draft.can_place(q, slot):
                draft.place(q, slot)
                undo.append(q)
                gain += w[q]
                break
    if not commit:
        for p in reversed(undo):
            draft.remove(p)
        for p in evict:
            draft.place(p, slot)  # every evicted meeting came from this slot
    return gain
