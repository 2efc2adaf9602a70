"""Benchmarks of the pairing engine. One JSON object per line per scenario and method.

    python -m bench.pairing_bench            # everything (about 20-30 minutes)
    python -m bench.pairing_bench --quick    # smaller sizes, a minute or two
    python -m bench.pairing_bench --scenario scale --scenario limit
    python -m bench.pairing_bench --scenario stress   # N=1,000 rival departments, ~10 min
    python -m bench.pairing_bench --scenario designs --scenario odd --scenario avoidable \
        --scenario greedy --scenario mentors              # issue 14 (bench/optima_bench.py)

Keys on every line: scenario, method, n, k, rounds, repeats, repeat_free_rounds, limit,
seconds_per_round, peak_mb, score_ratio (null where they do not apply), plus notes.
``peak_mb`` is the peak of traced allocations (``tracemalloc``, which numpy reports to)
during one extra round of the engine, measured apart from the timed rounds.
``seconds_per_round`` is wall-clock time; the scale lines add ``cpu_seconds_per_round``
(process CPU time) and every line ``load_avg_1m``, because the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from typing import Any

from bench.baselines import (
    as_past,
    blossom_round,
    exact_optimum,
    shuffle_groups,
    shuffle_round,
)
from bench.synthetic import (
    churn_members,
    rival_departments,
    synthetic_members,
)
from pairing.coffee import plan_coffee_round
from pairing.models import Member, PastGroup
from pairing.options import CoffeeOptions, Weights

BLOSSOM_MAX_N = 300
CERTIFIED_TAIL = 120  # per 1,000 members: the last rounds, where certificates take over
Groups = list[tuple[str, ...]]


def emit(scenario: str, method: str, **values: Any) -> None:
    keys = (
        "n",
        "k",
        "rounds",
        "repeats",
        "repeat_free_rounds",
        "limit",
        "seconds_per_round",
        "peak_mb",
        "score_ratio",
    )
    line = {"scenario": scenario, "method": method} | {key: values.pop(key, None) for key in keys}
    values["load_avg_1m"] = round(os.getloadavg()[0], 2)  # the machine is shared
    print(json.dumps(line | values), flush=True)


def engine(options: CoffeeOptions) -> Callable[[Sequence[Member], list[PastGroup], int], Groups]:
    def run(members: Sequence[Member], history: list[PastGroup], seed: int) -> Groups:
        plan = plan_coffee_round(members, history, seed=seed, options=options)
        return [g.members for g in plan.groups]

    return run


def count_repeats(groups: Groups, met: set[frozenset[str]]) -> int:
    return sum(1 for g in groups for a in g for b in g if a < b and frozenset((a, b)) in met)


def play(members, rounds: int, method, *, stop_at_repeat: bool = False):
    """Run rounds with fixed membership; returns (repeat_free_rounds, repeats, seconds, done)."""
    history: list[PastGroup] = []
    met: set[frozenset[str]] = set()
    repeats, first_repeat, spent, done = 0, None, 0.0, 0
    for r in range(rounds):
        start = time.perf_counter()
        groups = method(members, history, met, r)
        spent += time.perf_counter() - start
        done += 1
        found = count_repeats(groups, met)
        repeats += found
        if found and first_repeat is None:
            first_repeat = r
            if stop_at_repeat:
                break
        history += as_past(groups, r)
        met |= {frozenset((a, b)) for g in groups for a in g for b in g if a < b}
    return (rounds if first_repeat is None else first_repeat), repeats, spent / max(done, 1), done


def engine_method(k: int = 2):
    run = engine(CoffeeOptions(group_size=k))
    return lambda members, history, met, r: run(members, history, r)


def shuffle_method(k: int = 2):
    if k == 2:
        return lambda members, history, met, r: shuffle_round(members, r)
    return lambda members, history, met, r: shuffle_groups(members, k, r)


def blossom_method():
    weights = Weights()
    return lambda members, history, met, r: blossom_round(members, met, weights, r)


def scenario_scale(quick: bool) -> None:
    for n in [1000, 10_000] if quick else [1000, 10_000, 100_000]:
        members = synthetic_members(n, seed=n)
        run = engine(CoffeeOptions())
        history: list[PastGroup] = []
        warm, timed = (2, 2) if n >= 100_000 else (3, 3)
        for r in range(warm):  # some history first, as in a running program
            history += as_past(run(members, history, r), r)
        times, cpu = [], []
        for r in range(warm, warm + timed):
            start, start_cpu = time.perf_counter(), time.process_time()
            groups = run(members, history, r)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            history += as_past(groups, r)
        tracemalloc.start()
        run(members, history, 99)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        emit(
            "coffee_scale",
            "engine",
            n=n,
            k=2,
            rounds=len(times),
            seconds_per_round=round(sum(times) / len(times), 3),
            peak_mb=round(peak, 1),
            history_rounds=warm,
            max_seconds=round(max(times), 3),
            cpu_seconds_per_round=round(sum(cpu) / len(cpu), 3),
        )
        start = time.perf_counter()
        shuffle_round(members, 0)
        emit(
            "coffee_scale",
            "shuffle",
            n=n,
            k=2,
            rounds=1,
            seconds_per_round=round(time.perf_counter() - start, 3),
        )
        emit(
            "coffee_scale",
            "networkx_blossom",
            n=n,
            k=2,
            skipped=f"N > {BLOSSOM_MAX_N}: minutes to hours per round",
        )


def scenario_limit(quick: bool) -> None:
    for n in [30, 100] if quick else [30, 100, 1000]:
        members = synthetic_members(n, seed=7 + n)
        methods = [("engine", engine_method()), ("shuffle", shuffle_method())]
        if n <= 100 or (not quick and n <= BLOSSOM_MAX_N):
            methods.append(("networkx_blossom", blossom_method()))
        for name, method in methods:
            free, repeats, per_round, done = play(members, n - 1, method)
            emit(
                "repeat_free_limit",
                name,
                n=n,
                k=2,
                rounds=done,
                repeats=repeats,
                repeat_free_rounds=free,
                limit=n - 1,
                seconds_per_round=round(per_round, 4),
                soft_preferences=True,
            )
        if n > 100:
            emit(
                "repeat_free_limit",
                "networkx_blossom",
                n=n,
                k=2,
                limit=n - 1,
                skipped=f"N > 100: {n - 1} blossom rounds take too long",
            )


def scenario_groups(quick: bool) -> None:
    n = 100
    members = synthetic_members(n, seed=11)
    for k in (3, 4):
        limit = (n - 1) // (k - 1)
        for name, method in (("engine", engine_method(k)), ("shuffle", shuffle_method(k))):
            free, repeats, per_round, done = play(members, limit, method)
            emit(
                "groups",
                name,
                n=n,
                k=k,
                rounds=done,
                repeats=repeats,
                repeat_free_rounds=free,
                limit=limit,
                seconds_per_round=round(per_round, 4),
            )
        emit("groups", "networkx_blossom", n=n, k=k, skipped="blossom matches pairs only")
    # speed at a larger size: the first weeks of a 1,000-person program in groups of 3
    big, rounds = (300, 3) if quick else (1000, 8)
    free, repeats, per_round, done = play(synthetic_members(big, seed=11), rounds, engine_method(3))
    emit(
        "groups_scale",
        "engine",
        n=big,
        k=3,
        rounds=done,
        repeats=repeats,
        repeat_free_rounds=free,
        limit=(big - 1) // 2,
        seconds_per_round=round(per_round, 4),
    )


def scenario_churn(quick: bool) -> None:
    n, rounds = 1000, (20 if quick else 52)
    per_round = churn_members(n, rounds, 0.05, seed=3)
    for name, method in (("engine", engine_method()), ("shuffle", shuffle_method())):
        history: list[PastGroup] = []
        met: set[frozenset[str]] = set()
        repeats, spent = 0, 0.0
        for r, members in enumerate(per_round):
            start = time.perf_counter()
            groups = method(members, history, met, r)
            spent += time.perf_counter() - start
            repeats += count_repeats(groups, met)
            history += as_past(groups, r)
            met |= {frozenset((a, b)) for g in groups for a in g for b in g if a < b}
        emit(
            "churn",
            name,
            n=n,
            k=2,
            rounds=rounds,
            repeats=repeats,
            seconds_per_round=round(spent / rounds, 3),
            churn_per_round=0.05,
            paused=0.02,
        )
    emit("churn", "networkx_blossom", n=n, k=2, skipped=f"N > {BLOSSOM_MAX_N}")


def scenario_stress(quick: bool) -> None:
    """Three departments (one even, two odd), everyone keen on the other two."""
    sizes = (134, 133, 133) if quick else (334, 333, 333)
    members = rival_departments(sizes)
    n = len(members)
    run = engine(CoffeeOptions(weights=Weights(cross_team=5.0, prefers_cross_team=5.0)))
    history: list[PastGroup] = []
    met: set[frozenset[str]] = set()
    times: list[float] = []
    first_repeat, repeats = None, 0
    for r in range(n - 1):
        start = time.perf_counter()
        groups = run(members, history, r)
        times.append(time.perf_counter() - start)
        found = count_repeats(groups, met)
        repeats += found
        if found and first_repeat is None:
            first_repeat = r
        history += as_past(groups, r)
        met |= {frozenset((a, b)) for g in groups for a in g for b in g if a < b}
    late = sorted(times[-CERTIFIED_TAIL * n // 1000 :])
    emit(
        "stress_rival_departments",
        "engine",
        n=n,
        k=2,
        rounds=n - 1,
        repeats=repeats,
        repeat_free_rounds=n - 1 if first_repeat is None else first_repeat,
        limit=n - 1,
        seconds_per_round=round(sum(times) / len(times), 3),
        departments=list(sizes),
        weights="cross_team=5, prefers_cross_team=5, everyone prefers cross-team",
        last_rounds=len(late),
        last_rounds_mean_seconds=round(sum(late) / len(late), 3),
        last_rounds_p90_seconds=round(late[int(0.9 * (len(late) - 1))], 3),
        max_seconds=round(max(times), 3),
    )


def scenario_quality(quick: bool) -> None:
    weights = Weights()
    for n in [100, 200] if quick else [100, 200, 300]:
        for seed in (1, 2):
            members = synthetic_members(n, seed=100 * n + seed)
            history: list[PastGroup] = []
            met: set[frozenset[str]] = set()
            for r in range(3):  # rounds 0, 1, 2: empty history, then growing
                start = time.perf_counter()
                plan = plan_coffee_round(members, history, seed=r)
                ours = time.perf_counter() - start
                start = time.perf_counter()
                best = exact_optimum(members, met, weights)
                theirs = time.perf_counter() - start
                emit(
                    "soft_quality",
                    "engine",
                    n=n,
                    k=2,
                    rounds=1,
                    repeats=plan.repeats,
                    seconds_per_round=round(ours, 4),
                    score_ratio=round(plan.score / best, 5),
                    round=r,
                    instance=seed,
                    blossom_seconds=round(theirs, 2),
                )
                history += as_past([g.members for g in plan.groups], r)
                met |= {frozenset(g.members) for g in plan.groups}


SCENARIOS = {
    "scale": scenario_scale,
    "limit": scenario_limit,
    "groups": scenario_groups,
    "churn": scenario_churn,
    "stress": scenario_stress,
    "quality": scenario_quality,
}


def main(argv: Sequence[str] | None = None) -> int:
    from bench.optima_bench import SCENARIOS as OPTIMA  # imports emit from here

    SCENARIOS.update(OPTIMA)
    SCENARIOS["mentorship"] = OPTIMA["mentors"]  # the old name
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fast")
    parser.add_argument(
        "--scenario",
        action="append",
        choices=sorted(SCENARIOS),
        help="run only these (repeatable); default: all",
    )
    args = parser.parse_args(argv)
    plan_coffee_round(synthetic_members(50, seed=0), [], seed=0)  # warm imports and caches
    for name in args.scenario or list(SCENARIOS):
        SCENARIOS[name](args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
