"""The greedy baseline: pairs by weight (requested first), each into the first slot where it fits.

It is what the scheduler must never fall below, and a second starting point for the local
improvement when it happens to beat the per-slot matching (table-bound events)."""

from __future__ import annotations

from .draft import DraftSchedule
from .pair_weights import PairWeights


def greedy_draft(weights: PairWeights) -> DraftSchedule:
    draft = DraftSchedule(weights)
    for k in weights.order:
        if k in draft.slot_of:
            continue
        for slot in range(weights.slots):
            if draft.can_place(k, slot):
                draft.place(k, slot)
                break
    return draft
