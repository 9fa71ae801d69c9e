"""The two entry points: the scheduler (best of matching and greedy, each locally improved) and the
greedy baseline it is compared with."""

from __future__ import annotations

import time

from .greedy import greedy_draft
from .local_improvement import improve
from .pair_weights import weigh_pairs
from .problem import ScheduleProblem, ScheduleResult
from .result import schedule_result
from .slot_matching import per_slot_matching_draft


def generate_schedule(problem: ScheduleProblem, *, time_budget: float = 60.0) -> ScheduleResult:
    """The best schedule we can find, plus every requested meeting that did not fit and why."""
    started = time.perf_counter()
    deadline = started + time_budget
    weights = weigh_pairs(problem)
    matched = improve(per_slot_matching_draft(weights), deadline)
    # Safety net: when tables are the bottleneck, greedy can out-score the matching; the improvement
    # pass then runs on greedy too and the better result wins, so we never score below the baseline.
    greedy = greedy_draft(weights)
    algorithm = "per-slot max-weight matching + local improvement"
    best = matched
    if greedy.total() > matched.total():
        improved = improve(greedy, deadline)
        if improved.total() > matched.total():
            best, algorithm = improved, "greedy + local improvement (beat the matching on this input)"
    return schedule_result(best, algorithm, time.perf_counter() - started, problem.reasons)


def greedy_schedule(problem: ScheduleProblem) -> ScheduleResult:
    """The baseline: pairs by weight (requested first), each into the first slot where it fits."""
    started = time.perf_counter()
    weights = weigh_pairs(problem)
    return schedule_result(greedy_draft(weights), "greedy", time.perf_counter() - started, problem.reasons)
