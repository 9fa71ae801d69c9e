"""Benchmark the 1:1 meeting scheduler against the greedy baseline. One command, numbers printed:

    .venv/bin/python bench/schedule_bench.py                 # 300 participants, 12 slots x 40 tables
    .venv/bin/python bench/schedule_bench.py --seeds 3       # more random instances
    .venv/bin/python bench/schedule_bench.py --tables 150    # tables no longer the bottleneck

Inputs mimic what the event adapter builds: every participant has a match list like
match_demand(top=10) (scores 0..1, decaying with rank; popular results appear in many lists, so
some participants are in demand), 0.3 meeting requests per participant on average, and a few
declines. No database. The upper bound printed (for the score outside requested meetings) is
min(sum of the best pair scores that fit in the tables the requests leave, half the sum over
participants of their `slots` best scores): no schedule with as many requested meetings beats it.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from marketplace.events.scheduling import (  # noqa: E402
    ScheduleProblem,
    generate_schedule,
    greedy_schedule,
    schedule_violations,
)


def make_problem(
    seed: int,
    participants: int,
    slots: int,
    tables: int,
    top: int = 10,
    requests_per_participant: float = 0.3,
    popularity: float = 1.0,
) -> ScheduleProblem:
    rnd = random.Random(seed)
    people = list(range(participants))
    weights = [1 / (rank + 1) ** popularity for rank in range(participants)]  # Zipf-like popularity
    scores: dict[tuple[int, int], float] = {}
    for a in people:
        partners: set[int] = set()
        while len(partners) < min(top, participants - 1):
            b = rnd.choices(people, weights=weights)[0]
            if b != a:
                partners.add(b)
        for rank, b in enumerate(sorted(partners, key=lambda _b: rnd.random())):
            score = round(max(0.05, 1 - 0.07 * rank + rnd.gauss(0, 0.05)), 3)
            key = (min(a, b), max(a, b))
            scores[key] = max(scores.get(key, 0.0), score)
    requests, declines = [], []
    for p in people:
        for _ in range(int(requests_per_participant) + (rnd.random() < requests_per_participant % 1)):
            q = rnd.choice(people)
            if q != p:
                requests.append((p, q))
        if rnd.random() < 0.05:
            q = rnd.choice(people)
            if q != p:
                declines.append((p, q))
    return ScheduleProblem(
        participants=people, slots=slots, tables=tables, scores=scores, requests=requests, declines=declines
    )


def ordinary_score(result, requested_pairs: set[frozenset]) -> float:
    return sum(m.score for m in result.meetings if m.pair not in requested_pairs)


def upper_bound(problem: ScheduleProblem, requested_met: int) -> float:
    """A bound on the ordinary (non-request) score that no schedule meeting `requested_met` requests can
    exceed: the best pairs that fit in the tables left over, or each person's best `slots` partners."""
    declined = {frozenset(d) for d in problem.declines}
    requested = {frozenset(r) for r in problem.requests}
    values = [
        s
        for pair, s in problem.scores.items()
        if frozenset(pair) not in declined and frozenset(pair) not in requested
    ]
    by_edges = sum(sorted(values, reverse=True)[: problem.slots * problem.tables - requested_met])
    per: dict[int, list[float]] = {}
    for (a, b), s in problem.scores.items():
        if frozenset((a, b)) not in declined:
            per.setdefault(a, []).append(s)
            per.setdefault(b, []).append(s)
    by_people = sum(sum(sorted(v, reverse=True)[: problem.slots]) for v in per.values()) / 2
    return min(by_edges, by_people)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--slots", type=int, default=12)
    parser.add_argument("--tables", type=int, default=40)
    parser.add_argument("--seeds", type=int, default=1, help="number of random instances")
    parser.add_argument("--top", type=int, default=10, help="match-list length per participant")
    parser.add_argument("--requests", type=float, default=0.3, help="requests per participant (mean)")
    args = parser.parse_args()

    print(
        f"{args.participants} participants, {args.slots} slots x {args.tables} tables "
        f"(at most {args.slots * args.tables} meetings), top-{args.top} match lists, "
        f"{args.requests} requests/participant"
    )
    for seed in range(args.seeds):
        problem = make_problem(seed, args.participants, args.slots, args.tables, args.top, args.requests)
        t0 = time.perf_counter()
        base = greedy_schedule(problem)
        t_base = time.perf_counter() - t0
        t0 = time.perf_counter()
        ours = generate_schedule(problem)
        t_ours = time.perf_counter() - t0
        for name, result in (("greedy", base), ("ours", ours)):
            problems = schedule_violations(
                result.meetings, slots=args.slots, tables=args.tables, declines=problem.declines
            )
            if problems:
                raise SystemExit(f"{name}: constraint violated: {problems[:3]}")
        requested_pairs = {frozenset(r) for r in problem.requests}

        bound = upper_bound(problem, ours.requested_met)
        gain = (ours.total_score - base.total_score) / base.total_score * 100 if base.total_score else 0.0
        print(f"\nseed {seed}: {len(problem.scores)} scored pairs, {len(requested_pairs)} requested pairs")
        print(
            f"  greedy baseline : total score {base.total_score:9.2f}  requested met "
            f"{base.requested_met:4d}  meetings {len(base.meetings):4d}  time {t_base:6.2f}s"
        )
        print(
            f"  scheduler       : total score {ours.total_score:9.2f}  requested met "
            f"{ours.requested_met:4d}  meetings {len(ours.meetings):4d}  time {t_ours:6.2f}s"
        )
        print(f"  algorithm       : {ours.algorithm}")
        print(f"  gain over greedy: {gain:+.2f}%   requests that did not fit: {len(ours.unfit)}")
        print(
            f"  upper bound on the non-request score {bound:.2f}: greedy "
            f"{ordinary_score(base, requested_pairs):.2f}, "
            f"scheduler {ordinary_score(ours, requested_pairs):.2f}"
        )


if __name__ == "__main__":
    main()
