"""Turning a finished draft back into the caller's terms: meetings with tables, scores and reasons,
and every requested meeting that did not fit with the reason why."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .draft import DraftSchedule
from .pair_weights import Pair, pair_key
from .problem import (
    UNFIT_DECLINED,
    UNFIT_NO_COMMON_SLOT,
    UNFIT_NOT_PARTICIPANT,
    UNFIT_PARTICIPANT_FULL,
    UNFIT_TABLES_FULL,
    Meeting,
    ScheduleResult,
    Unfit,
)


def schedule_result(draft: DraftSchedule, algorithm: str, seconds: float,
                    reasons: Mapping[frozenset, Sequence[str]]) -> ScheduleResult:
    weights = draft.weights
    ids = weights.ids
    tables = _assign_tables(draft)
    fixed_by_pair = {m.pair: m for m in weights.fixed_meetings}
    meetings: list[Meeting] = []
    for k, slot in draft.slot_of.items():
        a, b = ids[k[0]], ids[k[1]]
        pair = frozenset((a, b))
        if pair in fixed_by_pair:
            meetings.append(fixed_by_pair[pair])
            continue
        meetings.append(Meeting(slot=slot, table=tables[k], a=a, b=b, score=weights.raw.get(k, 0.0),
                                requested=k in weights.requested, reasons=tuple(reasons.get(pair, ()))))
    meetings.sort(key=lambda m: (m.slot, m.table))
    return ScheduleResult(
        meetings=meetings, unfit=_unfit(draft), total_score=sum(m.score for m in meetings),
        requested_met=sum(1 for k in draft.slot_of if k in weights.requested), algorithm=algorithm,
        seconds=seconds)


def _assign_tables(draft: DraftSchedule) -> dict[Pair, int]:
    """Fixed meetings keep their table; the rest take the lowest free table, heaviest first."""
    weights = draft.weights
    tables: dict[Pair, int] = {}
    taken: list[set[int]] = [set() for _ in range(weights.slots)]
    for slot, table, i, j in weights.fixed:
        tables[pair_key(i, j)] = table
        taken[slot].add(table)
    for slot in range(weights.slots):
        free = (t for t in range(weights.tables) if t not in taken[slot])
        for k in sorted(draft.slot_pairs[slot], key=lambda p: (-weights.weight.get(p, 0), p)):
            if k not in tables:
                tables[k] = next(free)
    return tables


def _unfit(draft: DraftSchedule) -> list[Unfit]:
    weights = draft.weights
    ids = weights.ids
    known = set(ids)
    out = [Unfit(a, b, UNFIT_NOT_PARTICIPANT, b if a in known else a) for a, b in weights.unknown_requests]
    for k, askers in sorted(weights.requested.items()):
        if k in draft.slot_of:
            continue
        i, j = k
        for asker in askers:
            other = j if asker == i else i
            requester, partner = ids[asker], ids[other]
            if k in weights.declined:
                out.append(Unfit(requester, partner, UNFIT_DECLINED, partner))
                continue
            full = [v for v in (asker, other) if draft.count[v] >= weights.cap
                    or all(draft.at[v][s] is not None for s in range(weights.slots))]
            if full:
                out.append(Unfit(requester, partner, UNFIT_PARTICIPANT_FULL, ids[full[0]]))
            elif any(draft.at[i][s] is None and draft.at[j][s] is None for s in range(weights.slots)):
                out.append(Unfit(requester, partner, UNFIT_TABLES_FULL))
            else:
                out.append(Unfit(requester, partner, UNFIT_NO_COMMON_SLOT))
    return out
