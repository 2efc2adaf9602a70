"""Groups of k: the building blocks (swap search, conflict search, exact cover, the
resolvable design) and how far fixed membership gets towards ⌊(N-1)/(k-1)⌋."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pairing.coffee import plan_coffee_round
from pairing.exact_cover import cliques, exact_cover
from pairing.golfer import conflict_search
from pairing.group_round import group_sizes
from pairing.group_search import start_grouping, swap_search
from pairing.models import PastGroup
from pairing.options import CoffeeOptions
from tests.unit.pairing.test_repeat_free_limit import company, run_rounds

SETTINGS = settings(max_examples=40, deadline=None)


def rebuilt_swap_search(weights, group, g, steps, patience):
    """Reference: the same tabu search, every gain recomputed from scratch each step."""
    n = len(weights)
    group = group.copy()
    onehot = np.zeros((n, g))
    onehot[np.arange(n), group] = 1.0
    totals = weights @ onehot
    best_group, best_value, current = group.copy(), 0.0, 0.0
    tabu_until = np.zeros(n, dtype=np.int64)
    since_best = 0
    for step in range(steps):
        cross = totals[:, group]
        own = totals[np.arange(n), group]
        gain = cross + cross.T - own[:, None] - own[None, :] - 2 * weights
        gain[group[:, None] == group[None, :]] = -np.inf
        blocked = tabu_until > step
        gain[blocked, :] = -np.inf
        gain[:, blocked] = -np.inf
        x, y = divmod(int(np.argmax(gain)), n)
        if not np.isfinite(gain[x, y]):
            break
        a, b = int(group[x]), int(group[y])
        totals[:, a] += weights[:, y] - weights[:, x]
        totals[:, b] += weights[:, x] - weights[:, y]
        group[x], group[y] = b, a
        current += float(gain[x, y])
        tabu_until[[x, y]] = step + 7
        if current > best_value + 1e-7 * (1.0 + abs(best_value)):
            best_group, best_value, since_best = group.copy(), current, 0
        else:
            since_best += 1
            if since_best > patience:
                break
    return best_group


@SETTINGS
@given(st.integers(0, 2**32 - 1), st.integers(4, 60), st.integers(2, 8), st.booleans())
def test_incremental_swap_search_takes_the_same_steps_as_a_full_rebuild(seed, n, k, integral):
    rng = np.random.default_rng(seed)
    weights = rng.normal(size=(n, n))
    weights = np.round(weights + weights.T) if integral else weights + weights.T  # ties
    np.fill_diagonal(weights, 0.0)
    sizes = group_sizes(n, k)
    start = start_grouping(weights, sizes, rng.permutation(n))
    ours = swap_search(weights, start, len(sizes), 300, 40)
    assert (ours == rebuilt_swap_search(weights, start, len(sizes), 300, 40)).all()
    assert np.bincount(ours).tolist() == np.bincount(start).tolist()  # sizes kept


def met_matrix(n: int, groups: list[list[int]]) -> np.ndarray:
    met = np.zeros((n, n), dtype=np.int64)
    for g in groups:
        for a, b in combinations(g, 2):
            met[a, b] = met[b, a] = 1
    return met


def conflicts(conflict: np.ndarray, group: np.ndarray) -> int:
    return int(conflict[group[:, None] == group[None, :]].sum()) // 2


def test_conflict_search_finds_a_repeat_free_round_after_earlier_rounds():
    n = 12  # rows, then columns, of a 4 x 3 grid have met; diagonals are still free
    rows = [[3 * r + c for c in range(3)] for r in range(4)]
    conflict = met_matrix(n, rows)
    group, value = conflict_search(conflict, np.arange(n) // 3, np.random.default_rng(1), 2000)
    assert value == conflicts(conflict, group) == 0
    assert sorted(np.bincount(group).tolist()) == [3, 3, 3, 3]


def test_conflict_search_reports_what_it_could_not_avoid():
    conflict = np.ones((6, 6), dtype=np.int64)  # everyone has met everyone
    np.fill_diagonal(conflict, 0)
    group, value = conflict_search(conflict, np.arange(6) // 2, np.random.default_rng(0), 100)
    assert value == conflicts(conflict, group) == 3


def test_exact_cover_splits_nine_into_triangles_of_unmet_pairs():
    met = met_matrix(9, [[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    unmet = (met == 0) & ~np.eye(9, dtype=bool)
    rows = cliques(unmet, [3])
    assert rows is not None
    cover = exact_cover(9, rows, [3, 3, 3], np.zeros(len(rows)), 10_000)
    assert cover is not None
    assert sorted(v for g in cover for v in g) == list(range(9))
    assert not any(met[a, b] for g in cover for a, b in combinations(g, 2))


def test_exact_cover_keeps_to_the_sizes_and_says_when_there_is_none():
    unmet = ~np.eye(7, dtype=bool)
    rows = cliques(unmet, [3, 4])
    assert rows is not None
    cover = exact_cover(7, rows, [3, 4], np.zeros(len(rows)), 10_000)
    assert cover is not None and sorted(len(g) for g in cover) == [3, 4]
    path = np.zeros((6, 6), dtype=bool)  # only 0-1, 1-2, ..., 4-5 unmet: no triangle
    for a in range(5):
        path[a, a + 1] = path[a + 1, a] = True
    assert cliques(path, [3]) == []
    assert exact_cover(6, [(0, 1, 2)], [3, 3], np.zeros(1), 10_000) is None


def test_groups_of_three_reach_the_limit_when_a_design_allows_it():
    # 27 = 3^3: the 13 directions of the lines of AG(3, 3)
    assert run_rounds(company(27), 13, group_size=3) == 13


@pytest.mark.parametrize(("n", "k", "at_least"), [(26, 4, 4), (24, 3, 8)])
def test_groups_without_a_construction_come_close_to_the_limit(n, k, at_least):
    assert run_rounds(company(n), (n - 1) // (k - 1), group_size=k) >= at_least


def test_the_design_is_left_when_the_history_disagrees_with_it():
    members = company(28)
    ids = [m.id for m in members]
    # a round from outside the design: consecutive ids, across whatever parts
    history = [PastGroup(0, frozenset(ids[i : i + 4])) for i in range(0, 28, 4)]
    plan = plan_coffee_round(members, history, seed=1, options=CoffeeOptions(group_size=4))
    assert plan.repeats == 0
    assert not any(note.startswith("design") for note in plan.notes)
