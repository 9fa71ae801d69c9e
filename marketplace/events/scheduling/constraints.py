"""The hard constraints, checked on a finished schedule or on one meeting about to be placed.

Shared by the generator (fixed meetings are validated with it), the organizer's hand edits in the
service layer, and the tests, which run `schedule_violations` on every schedule they produce."""

from __future__ import annotations

from collections.abc import Iterable

from .problem import Meeting, Participant


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
