"""The two exact b-matching solvers behind mentorship rounds, and when each is used."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pairing.b_matching
from pairing.b_matching import best_assignment, flow_assignment, lattice_costs, slot_assignment
from pairing.mentorship import plan_mentorship_round
from pairing.options import MentorshipOptions, Weights
from tests.unit.pairing.test_mentorship import build, exact_optimum, programs

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def random_instance(seed: int, levels: int):
    """Mentors 0..m-1, mentees m..m+k-1, scores from a few levels (so ties abound)."""
    rng = np.random.default_rng(seed)
    m, k = int(rng.integers(1, 6)), int(rng.integers(1, 12))
    capacity = np.zeros(m + k, np.int64)
    capacity[:m] = rng.integers(0, 4, m)
    r = np.repeat(np.arange(m), k)
    e = np.tile(np.arange(m, m + k), m)
    keep = rng.random(len(r)) < 0.7
    scores = rng.integers(1, levels + 1, len(r)) * 0.25
    return r[keep], e[keep], scores[keep], capacity, np.arange(m, m + k)


def total(chosen: dict[int, int], r, e, scores) -> float:
    value = {(int(a), int(b)): float(s) for a, b, s in zip(r, e, scores, strict=True)}
    return sum(value[(mentor, mentee)] for mentee, mentor in chosen.items())


@SETTINGS
@given(st.integers(0, 2**31), st.sampled_from([2, 3, 40]))
def test_min_cost_flow_and_the_slot_assignment_find_the_same_optimum(seed, levels):
    r, e, scores, capacity, mentees = random_instance(seed, levels)
    room = capacity[r] > 0
    r, e, scores = r[room], e[room], scores[room]
    costs = lattice_costs(scores, len(mentees), len(capacity) + 1)
    assert costs is not None  # quarters sit on the lattice
    by_flow = flow_assignment(r, e, costs, capacity, mentees)
    assert by_flow is not None
    by_slots = slot_assignment(r, e, scores, capacity, mentees)
    assert total(by_flow, r, e, scores) == total(by_slots, r, e, scores)
    load = np.bincount(np.array(list(by_flow.values()), np.int64), minlength=len(capacity))
    assert (load <= capacity).all()


def test_scores_off_the_lattice_are_not_rounded_but_solved_on_floats():
    scores = np.array([1 / 3, 2 / 7, 1.0])
    assert lattice_costs(scores, 3, 10) is None
    # one mentor, two mentees: 1/3 + 1e-9 must beat 1/3 even though both round alike
    r, e = np.array([0, 0]), np.array([1, 2])
    close = np.array([1 / 3, 1 / 3 + 1e-9])
    chosen = best_assignment(r, e, close, np.array([1, 0, 0]), np.array([1, 2]))
    assert chosen == {2: 0}


def test_the_smallest_exact_scale_is_chosen():
    minutes = np.arange(1, 241)
    scores = 10.0 + 2.0 * minutes / 240  # overlap term of Weights(): multiples of 1/120
    costs = lattice_costs(scores, 240, 500, 10**6 * 240)
    assert costs is not None and (-costs == 120 * 10 + minutes).all()  # S = 120


def test_equal_scores_round_to_equal_costs():
    scores = np.array([0.1 + 0.2, 0.3, 12.5, 12.5])
    costs = lattice_costs(scores, 4, 10)
    assert costs is not None and costs[0] == costs[1] and costs[2] == costs[3]


ODD_WEIGHTS = [
    Weights(overlap=1 / 3, seniority_step=0.7, goal_covered=9.1),  # on the lattice 1/120
    Weights(overlap=2 / 7, seniority_step=0.7),  # on no lattice: the slot assignment
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs, st.sampled_from(ODD_WEIGHTS))
def test_odd_weights_still_give_the_exact_optimum(program, weights):
    members = build(program)
    odd = MentorshipOptions(weights=weights)
    plan = plan_mentorship_round(members, [], seed=0, options=odd)
    assert plan.score == pytest.approx(exact_optimum(members, odd), abs=1e-9)


def test_without_or_tools_the_slot_assignment_does_the_job(monkeypatch):
    monkeypatch.setattr(pairing.b_matching, "min_cost_flow", None)
    r, e, scores, capacity, mentees = random_instance(5, 3)
    with_slots = best_assignment(r, e, scores, capacity, mentees)
    monkeypatch.undo()
    assert total(with_slots, r, e, scores) == total(
        best_assignment(r, e, scores, capacity, mentees), r, e, scores
    )
