"""The priced sparse assignment gives the dense solver's optimum (pairing.assignment)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from pairing.assignment import FORBIDDEN, SPARSE_MIN, _priced, best_assignment
from pairing.dense_matching import two_opt


def dense_value(weights: np.ndarray, usable: np.ndarray) -> float:
    masked = np.where(usable, weights, FORBIDDEN)
    rows, cols = linear_sum_assignment(masked, maximize=True)
    return float(masked[rows, cols].sum())


@settings(max_examples=25, deadline=None)
@given(
    st.integers(SPARSE_MIN, SPARSE_MIN + 150),
    st.sampled_from([2, 6, 40]),  # few distinct values: many ties, as real scores have
    st.floats(0.0, 0.3),
    st.booleans(),
    st.integers(0, 2**31),
)
def test_priced_assignment_equals_the_dense_optimum(n, levels, barred, popular, seed):
    rng = np.random.default_rng(seed)
    weights = rng.integers(0, levels, (n, n)) / 4.0
    if popular:  # a few people everyone wants: the plain best pairs admit no assignment
        weights[:, : n // 20] += levels
    weights = weights + weights.T
    np.fill_diagonal(weights, -np.inf)
    usable = np.isfinite(weights) & (rng.random((n, n)) >= barred)
    usable &= usable.T
    successor = best_assignment(np.where(usable, weights, -np.inf))
    assert sorted(successor.tolist()) == list(range(n))
    value = float(np.where(usable, weights, FORBIDDEN)[np.arange(n), successor].sum())
    assert abs(value - dense_value(weights, usable)) <= 1e-6 * max(1.0, abs(value))


def test_no_full_assignment_on_the_usable_pairs_is_left_to_the_dense_solver():
    n = SPARSE_MIN + 10
    rng = np.random.default_rng(1)
    weights = rng.random((n, n))
    weights = weights + weights.T
    usable = np.zeros((n, n), dtype=bool)
    usable[:, :3] = usable[:3, :] = True  # a star: most rows share three columns
    np.fill_diagonal(usable, False)
    masked = np.where(usable, weights, -np.inf)
    assert _priced(masked) is None
    successor = best_assignment(masked)
    assert sorted(successor.tolist()) == list(range(n))


@settings(max_examples=30, deadline=None)
@given(st.integers(4, 120), st.integers(0, 2**31))
def test_two_opt_keeps_a_matching_and_never_loses(n, seed):
    """On symmetric weights (a pair's weight read either way round; the old 2-opt
    could also lose on asymmetric ones, which no caller passes)."""
    rng = np.random.default_rng(seed)
    weights = rng.integers(0, 8, (n, n)) / 4.0
    weights = weights + weights.T
    np.fill_diagonal(weights, -np.inf)
    perm = rng.permutation(n)
    mate = np.full(n, -1, dtype=np.int64)
    even = n // 2 * 2 - 2 * int(rng.integers(0, 2))
    mate[perm[0:even:2]], mate[perm[1:even:2]] = perm[1:even:2], perm[0:even:2]
    better = two_opt(weights, mate)
    paired = better >= 0
    assert (paired == (mate >= 0)).all()
    assert (better[better[paired]] == np.flatnonzero(paired)).all()

    def total(m: np.ndarray) -> float:
        a = np.flatnonzero(m > np.arange(n))
        return float(weights[a, m[a]].sum())

    assert total(better) >= total(mate) - 1e-9
