"""Bench scenarios against published optima and independent baselines (issue 14).

- ``designs``: strict repeat-free rounds (sizes by the rule in every round) against the
  published best (OEIS A107431, Harvey's social golfer table, Aguado's 32 in fours);
- ``odd``: odd numbers of people in pairs against floor(N (N - 1) / (N + 3));
- ``avoidable``: programs that start off any construction (a random first round) or
  churn; every round with a repeat is checked by an independent exact solver (networkx
  matchings for pairs and trios, OR-Tools CP-SAT exact cover for groups);
- ``greedy``: the soft score per round against a greedy by weight on everyone's 30 best
  unmet partners, in the same run, with wall and CPU time, and against the assignment
  relaxation (an upper bound) where it fits in memory;
- ``mentors``: exact mentorship against a plain min-cost flow over every allowed pair
  and scipy's LAPJV over mentor slots, on the same scores, including odd minutes; one
  line per size (5k x 1k, 20k x 4k at odd minutes, 100k x 20k), each in its own process
  with its peak resident memory (the plain flow is skipped at 100k: it does not fit).
"""

from __future__ import annotations

import itertools
import multiprocessing
import random
import resource
import time
from typing import Any

import networkx as nx

from bench.baselines import (
    as_past,
    assignment_bound,
    exact_b_matching,
    greedy_top_partners,
    groups_score,
    plain_flow,
    shuffle_groups,
)
from bench.pairing_bench import emit
from bench.synthetic import churn_members, odd_minutes, synthetic_members, synthetic_mentorship
from pairing.coffee import plan_coffee_round
from pairing.group_sizes import group_sizes
from pairing.mentorship import plan_mentorship_round
from pairing.models import PastGroup
from pairing.options import CoffeeOptions, Weights

# (N, k): best known number of repeat-free rounds
PUBLISHED = {
    (9, 3): 4,
    (15, 3): 7,
    (21, 3): 10,
    (27, 3): 13,
    (99, 3): 49,
    (16, 4): 5,
    (20, 4): 5,
    (32, 4): 10,
    (100, 4): 33,
    (36, 6): 3,
}
COUNTING_BOUND_ONLY = {(100, 3)}  # no published value: the counting bound is the target
ODD = [21, 31, 41, 51, 61, 71, 81, 91, 101]


def pairs_of(groups: Any) -> set[frozenset[str]]:
    return {frozenset(p) for g in groups for p in itertools.combinations(g, 2)}


def strict_rounds(members, k: int, limit: int, method) -> tuple[int, float, float]:
    """Rounds until the first repeat or a round whose sizes break the rule."""
    history: list[PastGroup] = []
    met: set[frozenset[str]] = set()
    wall = cpu = 0.0
    want = sorted(group_sizes(len(members), k))
    for r in range(limit):
        start, start_cpu = time.perf_counter(), time.process_time()
        groups = method(members, history, r)
        wall += time.perf_counter() - start
        cpu += time.process_time() - start_cpu
        pairs = pairs_of(groups)
        if pairs & met or sorted(len(g) for g in groups) != want:
            return r, wall / (r + 1), cpu / (r + 1)
        met |= pairs
        history += as_past(groups, r)
    return limit, wall / max(limit, 1), cpu / max(limit, 1)


def engine(k: int):
    options = CoffeeOptions(group_size=k)
    return lambda m, h, r: [
        g.members for g in plan_coffee_round(m, h, seed=r, options=options).groups
    ]


def scenario_designs(quick: bool) -> None:
    for n, k in sorted(set(PUBLISHED) | COUNTING_BOUND_ONLY):
        if quick and n > 40:
            continue
        members = synthetic_members(n, seed=11)
        bound = (n * (n - 1) // 2) // sum(s * (s - 1) // 2 for s in group_sizes(n, k))
        best = PUBLISHED.get((n, k), bound)
        for name, method in (
            ("engine", engine(k)),
            ("shuffle", lambda m, h, r, k=k: shuffle_groups(m, k, r)),
        ):
            rounds, wall, cpu = strict_rounds(members, k, best + 1, method)
            emit(
                "designs",
                name,
                n=n,
                k=k,
                repeat_free_rounds=rounds,
                limit=bound,
                published_best=PUBLISHED.get((n, k)),
                seconds_per_round=round(wall, 4),
                cpu_seconds_per_round=round(cpu, 4),
                sizes="by the rule",
            )


def scenario_odd(quick: bool) -> None:
    for n in ODD[:3] if quick else ODD:
        members = synthetic_members(n, seed=n)
        bound = n * (n - 1) // (n + 3)
        rounds, wall, cpu = strict_rounds(members, 2, bound, engine(2))
        emit(
            "odd_pairs",
            "engine",
            n=n,
            k=2,
            repeat_free_rounds=rounds,
            limit=bound,
            share_of_bound=round(rounds / bound, 3),
            seconds_per_round=round(wall, 4),
            cpu_seconds_per_round=round(cpu, 4),
        )


def repeat_free_exists(ids: list[str], met: set[frozenset[str]], k: int) -> bool:
    """Independent exact check (networkx / CP-SAT): is there a round without repeats?"""
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    graph.add_edges_from(p for p in itertools.combinations(ids, 2) if frozenset(p) not in met)
    if k == 2 and len(ids) % 2 == 0:
        return 2 * len(nx.max_weight_matching(graph, maxcardinality=True)) == len(ids)
    if k == 2:
        for trio in (c for c in nx.enumerate_all_cliques(graph) if len(c) == 3):
            rest = graph.subgraph(set(ids) - set(trio))
            if 2 * len(nx.max_weight_matching(rest, maxcardinality=True)) == len(ids) - 3:
                return True
        return False
    return _cover_exists(graph, ids, group_sizes(len(ids), k))


def _cover_exists(graph: nx.Graph, ids: list[str], sizes: list[int]) -> bool:
    from ortools.sat.python import cp_model

    wanted = set(sizes)
    cliques = [c for c in nx.enumerate_all_cliques(graph) if len(c) in wanted]
    model = cp_model.CpModel()
    chosen = [model.new_bool_var("") for _ in cliques]
    for person in ids:
        model.add_exactly_one(v for v, c in zip(chosen, cliques, strict=True) if person in c)
    for size in wanted:
        model.add(
            sum(v for v, c in zip(chosen, cliques, strict=True) if len(c) == size)
            == sizes.count(size)
        )
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 120
    solver.parameters.num_workers = 1
    return solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def scenario_avoidable(quick: bool) -> None:
    cases = (
        [(31, 2, 27), (30, 3, 14), (24, 4, 7)]
        if quick
        else [(31, 2, 27), (41, 2, 37), (30, 3, 14), (33, 3, 16), (24, 4, 7), (28, 4, 9)]
    )
    for n, k, rounds in cases:
        members = synthetic_members(n, seed=5 * n + k)
        ids = sorted(m.id for m in members)
        shuffled = ids[:]
        random.Random(n).shuffle(shuffled)  # a first round off any construction
        history = as_past([tuple(shuffled[i : i + 4]) for i in range(0, n - 3, 4)], -1)
        met = pairs_of(g.members for g in history)
        repeats = avoidable = 0
        for r in range(rounds):
            groups = engine(k)(members, history, r)
            found = pairs_of(groups) & met
            if found:
                repeats += 1
                avoidable += repeat_free_exists(ids, met, k)
            met |= pairs_of(groups)
            history += as_past(groups, r)
        emit(
            "avoidable_repeats",
            "engine",
            n=n,
            k=k,
            rounds=rounds,
            repeats=repeats,
            avoidable_repeats=avoidable,
            checker="networkx / CP-SAT",
        )
    members_by_round = churn_members(300, 12 if quick else 30, 0.05, seed=4)
    history, met, repeats, avoidable = [], set(), 0, 0
    for r, members in enumerate(members_by_round):
        groups = engine(2)(members, history, r)
        if pairs_of(groups) & met:
            repeats += 1
            avoidable += repeat_free_exists(sorted(m.id for m in members), met, 2)
        met |= pairs_of(groups)
        history += as_past(groups, r)
    emit(
        "avoidable_repeats",
        "engine",
        n=300,
        k=2,
        rounds=len(members_by_round),
        repeats=repeats,
        avoidable_repeats=avoidable,
        churn_per_round=0.05,
    )


def scenario_greedy(quick: bool) -> None:
    weights = Weights()
    for n in [1000] if quick else [1000, 10_000]:
        members = synthetic_members(n, seed=n)
        history: list[PastGroup] = []
        for r in range(3 if quick else 10):
            start, start_cpu = time.perf_counter(), time.process_time()
            plan = plan_coffee_round(members, history, seed=r)
            wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
            start, start_cpu = time.perf_counter(), time.process_time()
            groups, _ = greedy_top_partners(members, history, weights, seed=r)
            g_wall, g_cpu = time.perf_counter() - start, time.process_time() - start_cpu
            greedy = groups_score(members, groups, weights)
            bound = assignment_bound(members, history, weights) if n <= 2000 else None
            emit(
                "greedy_quality",
                "engine",
                n=n,
                k=2,
                round=r,
                rounds=1,
                score_ratio=round(plan.score / greedy, 5),
                seconds_per_round=round(wall, 3),
                cpu_seconds_per_round=round(cpu, 3),
                greedy_seconds=round(g_wall, 3),
                greedy_cpu_seconds=round(g_cpu, 3),
                time_ratio=round(cpu / g_cpu, 3),
                score_over_bound=None if bound is None else round(plan.score / bound, 5),
            )
            history += as_past([g.members for g in plan.groups], r)


MENTOR_SIZES = [(5000, 1000, False), (20_000, 4000, True), (100_000, 20_000, False)]
PLAIN_FLOW_MAX_PAIRS = 10**8  # beyond this the plain flow over every pair does not fit


def scenario_mentors(quick: bool) -> None:
    """One JSON line per size; each size runs in a fresh process, so its peak resident
    memory is its own (members, engine, then the baseline)."""
    context = multiprocessing.get_context("spawn")
    for size in MENTOR_SIZES[:1] if quick else MENTOR_SIZES:
        child = context.Process(target=mentors_one, args=size)
        child.start()
        child.join()


def mentors_one(mentees: int, mentors: int, odd: bool) -> None:
    members = synthetic_mentorship(mentees, mentors, capacity=5, seed=1)
    if odd:
        members = odd_minutes(members, seed=2)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start, start_cpu = time.perf_counter(), time.process_time()
    plan = plan_mentorship_round(members, [], seed=1)
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line: dict[str, Any] = {}
    if mentees * mentors <= PLAIN_FLOW_MAX_PAIRS:
        start, start_cpu = time.perf_counter(), time.process_time()
        flow_score = plain_flow(members)
        f_wall, f_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        line |= {
            "plain_flow_seconds": round(f_wall, 3),
            "plain_flow_cpu_seconds": round(f_cpu, 3),
            "time_ratio": round(cpu / f_cpu, 3),
            "gap_to_plain_flow": round(abs(flow_score - plan.score), 9),
        }
    else:
        line["gap_to_plain_flow"] = None
        line["plain_flow_skipped"] = (
            f"{mentees * mentors:,} pairs: one arc per allowed pair does not fit in memory; "
            "the engine's optimality rests on its dual certificate (no allowed pair with a "
            "negative reduced cost), checked over every pair"
        )
    exact = exact_b_matching(members)[0] if mentees <= 5000 else None
    emit(
        "mentorship_exact",
        "engine",
        n=mentees + mentors,
        rounds=1,
        mentees=mentees,
        mentors=mentors,
        capacity=5,
        odd_minutes=odd,
        seconds_per_round=round(wall, 3),
        cpu_seconds_per_round=round(cpu, 3),
        rss_before_mb=round(rss_before),
        peak_rss_mb=round(peak),
        solves=int(plan.notes[1].split(" after ")[1].split()[0]) if len(plan.notes) > 1 else 0,
        **line,
        gap_to_lapjv=None if exact is None else round(abs(exact - plan.score), 9),
        notes=list(plan.notes),
    )


SCENARIOS = {
    "designs": scenario_designs,
    "odd": scenario_odd,
    "avoidable": scenario_avoidable,
    "greedy": scenario_greedy,
    "mentors": scenario_mentors,
}
