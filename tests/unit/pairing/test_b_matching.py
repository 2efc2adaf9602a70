"""The exact b-matching behind mentorship rounds: integer costs that cannot fail, an
optimum equal to an independent solver's, and a dual certificate over all pairs."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pairing.b_matching import Solution, solve
from pairing.mentor_costs import cost_scale, mentorship_costs
from pairing.mentorship import best_assignment, plan_mentorship_round
from pairing.models import Member, Role
from pairing.options import MentorshipOptions, Weights
from pairing.scoring import mentorship_score
from pairing.table import MemberTable
from tests.unit.pairing.test_mentorship import build, exact_optimum, programs

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def random_costs(seed: int, levels: int) -> tuple[np.ndarray, np.ndarray]:
    """Mentees x mentors, costs from a few levels (ties abound), 0 = not allowed."""
    rng = np.random.default_rng(seed)
    rows, cols = int(rng.integers(1, 14)), int(rng.integers(1, 6))
    costs = rng.integers(1, levels + 1, (rows, cols)) * (rng.random((rows, cols)) < 0.7)
    return costs.astype(np.int64), rng.integers(0, 4, cols).astype(np.int64)


def independent_optimum(costs: np.ndarray, capacity: np.ndarray) -> int:
    graph = nx.Graph()
    for e, r in zip(*np.nonzero(costs > 0), strict=True):
        for slot in range(int(capacity[r])):
            graph.add_edge(("e", int(e)), ("r", int(r), slot), weight=int(costs[e, r]))
    matching = nx.max_weight_matching(graph)
    return sum(graph.edges[a, b]["weight"] for a, b in matching)


def value(costs: np.ndarray, mentor_of: np.ndarray) -> int:
    rows = np.flatnonzero(mentor_of >= 0)
    return int(costs[rows, mentor_of[rows]].sum())


@SETTINGS
@given(st.integers(0, 2**31), st.sampled_from([2, 3, 40]))
def test_the_certified_assignment_equals_an_independent_optimum(seed, levels):
    costs, capacity = random_costs(seed, levels)
    mentor_of, _, _ = best_assignment(costs, capacity)
    load = np.bincount(mentor_of[mentor_of >= 0], minlength=len(capacity))
    assert (load <= capacity).all()
    assert all(costs[e, r] > 0 for e, r in enumerate(mentor_of) if r >= 0)
    assert value(costs, mentor_of) == independent_optimum(costs, capacity)


@SETTINGS
@given(st.integers(0, 2**31), st.sampled_from([2, 40]))
def test_potentials_leave_no_arc_with_negative_reduced_cost(seed, levels):
    costs, capacity = random_costs(seed, levels)
    e, r = np.nonzero(costs > 0)
    found = solve(e, r, costs[e, r], capacity, costs.shape[0])
    # the LP condition the dual check relies on: no unused arc could improve the flow
    unused = found.mentor_of[e] != r
    e, r = e[unused], r[unused]
    assert (costs[e, r] + found.mentor_potential[r] <= found.mentee_potential[e]).all()


def test_working_hours_at_odd_minutes_give_exact_integer_costs():
    weights = Weights()
    scale = cost_scale(weights)
    assert scale.exact and scale.denominator == 120  # 2 / 240 per minute is 1/120
    mentors = [
        Member(
            f"r{k}",
            role=Role.MENTOR,
            skills=frozenset({"go"}),
            seniority=k % 7,
            capacity=2,
            utc_offset=60 * (k % 5),
            work_start=8 * 60 + 50 + k,
            work_end=17 * 60 + 5 - k,
        )
        for k in range(12)
    ]
    mentees = [
        Member(
            f"e{k}",
            role=Role.MENTEE,
            goals=frozenset({"go"}),
            seniority=k % 4,
            utc_offset=-37 * k,
            work_start=9 * 60 + 7 * k,
            work_end=16 * 60 + 55,
        )
        for k in range(12)
    ]
    people = mentors + mentees
    table = MemberTable.of(people)
    r = np.repeat(np.arange(12), 12)
    e = np.tile(np.arange(12, 24), 12)
    costs = mentorship_costs(table, r, e, scale, weights)
    scores = [mentorship_score(people[a], people[b], weights) for a, b in zip(r, e, strict=True)]
    assert np.allclose(costs, np.array(scores) * 120, atol=1e-6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    programs,
    st.sampled_from(
        [
            Weights(overlap=1 / 3, seniority_step=0.7, goal_covered=9.1),
            Weights(overlap=2 / 7, seniority_step=0.7),
            Weights(overlap=0.123456789123, seniority_step=0.31415926535),  # no small lattice
        ]
    ),
)
def test_odd_weights_still_give_the_optimum(program, weights):
    members = build(program)
    odd = MentorshipOptions(weights=weights)
    plan = plan_mentorship_round(members, [], seed=0, options=odd)
    scale = cost_scale(weights)
    bound = scale.tolerance * 2 * len(members)
    assert plan.score == pytest.approx(exact_optimum(members, odd), abs=1e-9 + bound)


def warm_spy(monkeypatch, always: bool = True) -> list[bool]:
    """Whether each warm start gave the assignment (False: it fell back to a cold solve);
    ``always``: tried however many mentees move (small programs are mostly moves)."""
    import pairing.b_matching as b_matching

    warm, answers = b_matching._warm, []
    if always:
        monkeypatch.setattr(b_matching, "WARM_WORK", 10**9)

    def spy(*args):
        taken = warm(*args)
        answers.append(taken is not None)
        return taken

    monkeypatch.setattr(b_matching, "_warm", spy)
    return answers


@pytest.mark.parametrize("near", [True, False], ids=["near-tight pairs", "large program"])
@pytest.mark.parametrize("seed", range(5))
def test_the_solves_narrowed_to_tight_pairs_still_reach_the_optimum(seed, near, monkeypatch):
    """Competition for popular mentors takes several solves; near the end the candidates
    are cut to the tight pairs (on a large program once a third of the rows still
    improve, forced here by calling any size large), later solves start warm from the
    one before, and the result stays optimal."""
    from scipy.optimize import linear_sum_assignment

    import pairing.mentor_solver as solver

    narrowed = []

    def spy(*args):
        answer = nearly_there(*args)
        narrowed.append(answer)
        return answer

    nearly_there = solver._nearly_there
    monkeypatch.setattr(solver, "_nearly_there", spy)
    if not near:
        monkeypatch.setattr(solver, "NEAR_ENTRIES", 0)
    warm = warm_spy(monkeypatch, always=False)
    rng = np.random.default_rng(seed)
    rows, cols = 500, 90
    popular = rng.zipf(1.5, cols).clip(1, 20)
    costs = (rng.integers(1, 41, (rows, cols)) + 3 * popular) * (rng.random((rows, cols)) < 0.5)
    capacity = rng.integers(1, 7, cols)
    mentor_of, solves, _ = best_assignment(costs.astype(np.int64), capacity.astype(np.int64))
    assert solves >= 3 and any(narrowed) and any(warm)
    slots = np.repeat(costs, capacity, axis=1)  # one column per free slot, then "no one"
    dense = np.hstack([slots, np.zeros((rows, rows), np.int64)])
    e, s = linear_sum_assignment(dense, maximize=True)
    assert value(costs, mentor_of) == int(dense[e, s].sum())
    load = np.bincount(mentor_of[mentor_of >= 0], minlength=cols)
    assert (load <= capacity).all()


@SETTINGS
@given(st.integers(0, 2**31), st.sampled_from([2, 3, 40, 1000]))
def test_a_warm_start_from_fewer_arcs_reaches_the_same_optimum(seed, levels):
    """The column generation's next solve: the earlier solution on part of the arcs is
    the start (its prices, and its pairs still on a shortest path); the flow is still
    optimal over all arcs, and the potentials still certify it."""
    costs, capacity = random_costs(seed, levels)
    e, r = np.nonzero(costs > 0)
    part = np.random.default_rng(seed).random(len(e)) < 0.5
    earlier = solve(e[part], r[part], costs[e[part], r[part]], capacity, costs.shape[0])
    with pytest.MonkeyPatch.context() as patch:
        warm = warm_spy(patch)
        found = solve(e, r, costs[e, r], capacity, costs.shape[0], start_from=earlier)
    assert warm == [True]
    load = np.bincount(found.mentor_of[found.mentor_of >= 0], minlength=len(capacity))
    assert (load <= capacity).all()
    assert value(costs, found.mentor_of) == independent_optimum(costs, capacity)
    assert (costs[e, r] + found.mentor_potential[r] <= found.mentee_potential[e]).all()


@SETTINGS
@given(st.integers(0, 2**31), st.sampled_from([2, 40]))
def test_any_prices_and_hints_only_change_how_far_the_routes_go(seed, levels):
    """Prices and earlier pairs that fit nothing (too high, too low, mentors out of
    range) still end in the optimum: every route ends where flow is short."""
    costs, capacity = random_costs(seed, levels)
    rng = np.random.default_rng(seed)
    rows, cols = costs.shape
    nonsense = Solution(
        rng.integers(-3, cols + 2, rows),
        np.zeros(rows, np.int64),
        rng.integers(-3 * levels, 3 * levels, cols),
    )
    e, r = np.nonzero(costs > 0)
    with pytest.MonkeyPatch.context() as patch:
        warm = warm_spy(patch)
        found = solve(e, r, costs[e, r], capacity, rows, start_from=nonsense)
    assert warm == [True]
    assert value(costs, found.mentor_of) == independent_optimum(costs, capacity)


def test_a_warm_start_over_its_budget_gives_way_to_a_cold_solve(monkeypatch):
    import pairing.b_matching as b_matching

    rng = np.random.default_rng(7)
    costs = rng.integers(1, 40, (300, 40)) * (rng.random((300, 40)) < 0.3)
    capacity = rng.integers(1, 6, 40)
    e, r = np.nonzero(costs > 0)
    earlier = Solution(np.full(300, -1), np.zeros(300, np.int64), np.zeros(40, np.int64))
    monkeypatch.setattr(b_matching, "WARM_RELAXATIONS", 1)  # one arc relaxed per arc
    warm = warm_spy(monkeypatch)
    found = solve(e, r, costs[e, r], capacity, costs.shape[0], start_from=earlier)
    assert warm == [False]
    assert value(costs, found.mentor_of) == independent_optimum(costs, capacity)


def test_the_compiled_solver_refuses_arcs_that_do_not_fit():
    from pairing import _assign

    def call(start, mentor, cost, capacity):
        rows, cols = len(start) - 1, len(capacity)
        arrays = [np.asarray(a, np.int64) for a in (start, mentor, cost, capacity)]
        price, hint = np.zeros(cols, np.int64), np.full(rows, -2, np.int64)
        return _assign.solve(*arrays, price, hint, np.empty(rows, np.int64), 0)

    assert call([0, 1, 2], [0, 0], [5, 3], [1]) > 0
    with pytest.raises(ValueError, match="out of range"):
        call([0, 1, 2], [0, 1], [5, 3], [1])
    with pytest.raises(ValueError, match="not positive"):
        call([0, 1, 2], [0, 0], [5, 0], [1])
    with pytest.raises(ValueError, match="offsets"):
        call([0, 1, 3], [0, 0], [5, 3], [1])
    with pytest.raises(ValueError, match="int64"):
        call([0, 1, 2], [0, 0], [5, 3, 1], [1])
    with pytest.raises(ValueError, match="int64"):  # floats of the same width
        _assign.solve(
            *(np.asarray(a, np.int64) for a in ([0, 1, 2], [0, 0], [5, 3])),
            np.ones(1),
            *(np.zeros(n, np.int64) for n in (1, 2, 2)),
            0,
        )


def test_distances_from_the_virtual_source_and_a_negative_cycle_refused():
    from pairing import _assign

    def distances(arcs, nodes):
        tail, head, weight = (np.array(column, np.int64) for column in zip(*arcs, strict=True))
        out = np.zeros(nodes, np.int64)
        return _assign.distances(tail, head, weight, out), out.tolist()

    # 0 -> 1 -> 2 -> 3 at -2 each, 3 -> 0 back at +7; node 4 alone stays at 0
    assert distances([(0, 1, -2), (1, 2, -2), (2, 3, -2), (3, 0, 7)], 5) == (
        True,
        [0, -2, -4, -6, 0],
    )
    assert distances([(0, 1, -2), (1, 2, -2), (2, 3, -2), (3, 0, 5)], 4)[0] is False
