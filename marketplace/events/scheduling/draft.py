"""A schedule under construction: who meets whom in which slot, with the counts the checks need.

Every construction (greedy, per-slot matching) and the local-improvement pass edit one of these;
`can_place` is the single feasibility test they share, so none of them can break a hard constraint."""

from __future__ import annotations

from .pair_weights import Pair, PairWeights, pair_key


class DraftSchedule:
    def __init__(self, weights: PairWeights):
        self.weights = weights
        n = len(weights.ids)
        self.at: list[list[Pair | None]] = [[None] * weights.slots for _ in range(n)]
        self.slot_of: dict[Pair, int] = {}
        self.slot_pairs: list[set[Pair]] = [set() for _ in range(weights.slots)]
        self.count = [0] * n
        self.fixed_pairs: set[Pair] = set()
        for slot, _table, i, j in weights.fixed:
            k = pair_key(i, j)
            self.place(k, slot)
            self.fixed_pairs.add(k)

    def place(self, k: Pair, slot: int) -> None:
        i, j = k
        self.at[i][slot] = k
        self.at[j][slot] = k
        self.slot_of[k] = slot
        self.slot_pairs[slot].add(k)
        self.count[i] += 1
        self.count[j] += 1

    def remove(self, k: Pair) -> int:
        slot = self.slot_of.pop(k)
        i, j = k
        self.at[i][slot] = None
        self.at[j][slot] = None
        self.slot_pairs[slot].discard(k)
        self.count[i] -= 1
        self.count[j] -= 1
        return slot

    def can_place(self, k: Pair, slot: int) -> bool:
        i, j = k
        return (self.at[i][slot] is None and self.at[j][slot] is None
                and len(self.slot_pairs[slot]) < self.weights.tables
                and self.count[i] < self.weights.cap and self.count[j] < self.weights.cap)

    def total(self) -> int:
        w = self.weights.weight
        return sum(w.get(k, 0) for k in self.slot_of)
