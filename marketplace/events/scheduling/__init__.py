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

Algorithm, and why (one module per step):
  0. `pair_weights`: participants become indices and every allowed pair one integer weight; requested
     pairs carry a bonus larger than the sum of all ordinary scores, so the lexicographic objective
     becomes one weight. `draft` is the schedule under construction that every step edits.
  1. `slot_matching`: slot by slot, the heaviest matching of at most `tables` meetings among pairs not
     yet scheduled (networkx's maximum-weight matching, Edmonds' blossom algorithm, since any two
     participants may meet and the graph is not bipartite; the table cap by Lagrangian relaxation).
  2. `local_improvement`: evict-and-repair moves across slots, applied only when the total rises.
  3. `greedy`: the baseline (pairs by weight, each into the first feasible slot). If it scores higher
     than the matching, the improvement pass runs on it instead and the better result wins (`generate`).
  4. `result`: tables assigned, scores and reasons attached, unfit requests explained.
Why not plain greedy: it fills slots first-fit and strands heavy pairs whose partners' free slots do
not line up; the matching sees the whole slot at once, and the improvement pass repairs cross-slot
conflicts. Why not an exact global optimum: it is an edge-colouring problem (NP-hard in general); the
per-slot optimum plus repair is fast (the 300-participant benchmark runs in seconds) and measurably
better than greedy (see bench/schedule_bench.py).
"""

from .constraints import placement_problems, schedule_violations
from .generate import generate_schedule, greedy_schedule
from .problem import (
    UNFIT_DECLINED,
    UNFIT_NO_COMMON_SLOT,
    UNFIT_NOT_PARTICIPANT,
    UNFIT_PARTICIPANT_FULL,
    UNFIT_TABLES_FULL,
    Meeting,
    Participant,
    ScheduleError,
    ScheduleProblem,
    ScheduleResult,
    Unfit,
)

__all__ = [
    "UNFIT_DECLINED",
    "UNFIT_NO_COMMON_SLOT",
    "UNFIT_NOT_PARTICIPANT",
    "UNFIT_PARTICIPANT_FULL",
    "UNFIT_TABLES_FULL",
    "Meeting",
    "Participant",
    "ScheduleError",
    "ScheduleProblem",
    "ScheduleResult",
    "Unfit",
    "generate_schedule",
    "greedy_schedule",
    "placement_problems",
    "schedule_violations",
]
