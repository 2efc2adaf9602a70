"""Constructions: every pair at most once, group sizes by the rule, as many rounds as
the published schedules, and the engine playing them to the end with the same plan for
the same input."""

from __future__ import annotations

import random
from itertools import combinations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pairing.coffee import plan_coffee_round
from pairing.design_tables import tabled
from pairing.finite_field import prime_power
from pairing.group_sizes import group_sizes
from pairing.kirkman import kirkman
from pairing.lifted import twins
from pairing.models import Member, PastGroup
from pairing.odd_design import odd_pairs
from pairing.options import CoffeeOptions
from pairing.relabel import relabel, round_scores
from pairing.schedules import best, candidates, follows_rule
from tests.unit.pairing.test_repeat_free_limit import run_rounds

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# every (n, k) a construction could apply to (n a multiple of k) and the tables
SIZES = sorted({(n, k) for k in range(3, 9) for n in range(k * k, 130, k)} | set(tabled()))
# Published best numbers of repeat-free rounds (OEIS A107431, Harvey's social golfer
# table): Kirkman triple systems, affine planes, the 36 officers (no two orthogonal
# Latin squares of order 6), 20 in fours (a 4-GDD of type 5^4), Aguado's 10 rounds of
# 32 in fours and the resolvable design of 100 in fours.
PUBLISHED = {
    (9, 3): 4,
    (15, 3): 7,
    (21, 3): 10,
    (27, 3): 13,
    (39, 3): 19,
    (51, 3): 25,
    (99, 3): 49,
    (100, 4): 33,
    (16, 4): 5,
    (20, 4): 5,
    (32, 4): 10,
    (25, 5): 6,
    (36, 6): 3,
    (49, 7): 8,
    (64, 8): 9,
}


def pairs_met(schedule: np.ndarray) -> np.ndarray:
    n = schedule.shape[1]
    met = np.zeros((n, n), np.int64)
    for row in schedule:
        met += row[:, None] == row[None, :]
    np.fill_diagonal(met, 0)
    return met


@SETTINGS
@given(st.sampled_from(SIZES))
def test_every_construction_meets_each_pair_at_most_once_in_groups_sized_by_the_rule(case):
    n, k = case
    for schedule in candidates(n, k):
        assert schedule.shape[1] == n
        assert (pairs_met(schedule) <= 1).all()
        for row in schedule:
            assert sorted(np.bincount(row).tolist()) == sorted(group_sizes(n, k))


@SETTINGS
@given(st.integers(5, 150).map(lambda h: 2 * h + 1))
def test_odd_pairs_reach_n_minus_4_rounds_with_one_trio_each(n):
    schedule = odd_pairs(n)
    assert schedule is not None and len(schedule) == n - 4 == n * (n - 1) // (n + 3)
    assert follows_rule(schedule, 2)
    assert int(pairs_met(schedule).sum()) // 2 == n * (n - 1) // 2 - 6  # all but 6 pairs


# q = 1 (mod 6) prime powers: 7, 13, 19, 25, 31, 37, 43, 49, 61, 67, 73
KIRKMAN_Q = [q for q in range(7, 80, 6) if prime_power(q) is not None]


@pytest.mark.parametrize("q", KIRKMAN_Q)
def test_kirkman_systems_of_2q_plus_1_meet_every_pair_exactly_once_in_q_rounds(q):
    n = 2 * q + 1
    schedule = kirkman(n)
    assert schedule is not None and schedule.shape == (q, n)
    assert follows_rule(schedule, 3)
    met = pairs_met(schedule)
    assert (met + np.eye(n, dtype=np.int64) == 1).all()  # every pair exactly once


@given(st.integers(1, 300))
def test_kirkman_applies_exactly_to_2q_plus_1_with_q_a_prime_power_1_mod_6(n):
    q = (n - 1) // 2
    applies = n % 2 == 1 and q % 6 == 1 and prime_power(q) is not None
    assert (kirkman(n) is not None) == applies


def test_32_in_fours_meet_everyone_but_their_twin_exactly_once_in_10_rounds():
    schedule = twins(32, 4)
    assert schedule is not None and schedule.shape == (10, 32)
    assert follows_rule(schedule, 4)
    unmet = pairs_met(schedule) == 0
    assert (unmet.sum(axis=1) == 2).all()  # the person and their twin
    assert all(unmet[2 * x, 2 * x + 1] for x in range(16))
    assert (twins(32, 4) == schedule).all()  # the same every time


@given(st.integers(4, 200), st.integers(2, 8))
def test_twins_apply_to_32_in_fours_only(n, k):
    assert (twins(n, k) is not None) == ((n, k) == (32, 4))


@pytest.mark.parametrize(("n", "k"), sorted(PUBLISHED))
def test_constructions_reach_the_published_number_of_rounds(n, k):
    schedule = best(n, k)
    assert schedule is not None and len(schedule) == PUBLISHED[(n, k)]


@pytest.mark.parametrize(("n", "k"), tabled())
def test_developed_tables_cover_every_pair_orbit_once(n, k):
    schedule = best(n, k)
    assert schedule is not None and follows_rule(schedule, k)
    pairs = int(pairs_met(schedule).sum()) // 2
    per_round = sum(s * (s - 1) // 2 for s in group_sizes(n, k))
    assert pairs == len(schedule) * per_round


def test_renaming_is_a_permutation_that_puts_the_best_rounds_first_and_bars_to_the_end():
    rng = np.random.default_rng(3)
    schedule = best(16, 4)
    assert schedule is not None
    scores = rng.normal(size=(16, 16))
    scores = scores + scores.T
    forbidden = np.eye(16, dtype=bool)
    forbidden[0, 1] = forbidden[1, 0] = True
    person = relabel(schedule, scores, forbidden)
    assert sorted(person.tolist()) == list(range(16))
    renamed = np.empty_like(schedule)
    renamed[:, person] = schedule
    values = round_scores(renamed, np.where(forbidden, 0.0, scores))
    holding = [r for r, row in enumerate(renamed) if row[0] == row[1]]
    assert np.sort(values)[-1] > np.sort(round_scores(schedule, scores))[-1]
    assert len(holding) == 1


def shuffled_company(n: int, seed: int) -> list[Member]:
    rng = random.Random(seed)
    members = [
        Member(
            f"p{k:03d}",
            utc_offset=rng.choice([-300, 0, 60, 330]),
            team=f"t{k % 5}",
            interests=frozenset(rng.sample(["go", "chess", "ski", "tea", "jazz"], 2)),
        )
        for k in range(n)
    ]
    rng.shuffle(members)
    return members


@pytest.mark.parametrize(("n", "k", "rounds"), [(9, 3, 4), (16, 4, 5), (15, 2, 11), (32, 4, 10)])
def test_the_engine_plays_a_construction_to_its_end(n, k, rounds):
    assert run_rounds(shuffled_company(n, 1), rounds, group_size=k) == rounds


@pytest.mark.parametrize(("n", "k", "rounds"), [(21, 3, 3), (32, 4, 3), (99, 3, 2), (100, 4, 2)])
def test_the_same_input_gives_the_same_design_round_whatever_the_order(n, k, rounds):
    members = shuffled_company(n, 2)
    history: list[PastGroup] = []
    options = CoffeeOptions(group_size=k)
    for r in range(rounds):
        plan = plan_coffee_round(members, history, seed=r, options=options)
        again = plan_coffee_round(list(reversed(members)), history, seed=r, options=options)
        assert plan == again
        assert plan.notes and plan.notes[0].startswith("design")
        history += [PastGroup(r, frozenset(g.members)) for g in plan.groups]


def test_a_pair_that_may_never_meet_is_never_grouped_by_a_design():
    members = shuffled_company(16, 4)
    boss = members[0].id
    members[1:3] = [
        Member(m.id, team=m.team, managers=(boss,), interests=m.interests) for m in members[1:3]
    ]
    history: list[PastGroup] = []
    for r in range(5):
        plan = plan_coffee_round(members, history, seed=r, options=CoffeeOptions(group_size=4))
        for g in plan.groups:
            for a, b in combinations(g.members, 2):
                assert {a, b} not in ({boss, members[1].id}, {boss, members[2].id})
        history += [PastGroup(r, frozenset(g.members)) for g in plan.groups]
