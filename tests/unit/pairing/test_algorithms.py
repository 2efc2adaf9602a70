"""The building blocks: blossom repair, factorisations, certified replay, group sizes."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pairing.blossom import maximum_matching
from pairing.certificate import certificate, improve
from pairing.dense_matching import best_matching, matching_weight
from pairing.factorise import factorise
from pairing.group_round import group_sizes


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 24), st.floats(0.05, 0.6), st.integers(0, 2**31))
def test_blossom_repair_reaches_a_maximum_matching(n, density, seed):
    rng = np.random.default_rng(seed)
    adj = np.triu(rng.random((n, n)) < density, 1)
    adj = adj | adj.T
    start = [-1] * n
    mate = maximum_matching(n, lambda v: np.flatnonzero(adj[v]).tolist(), start)
    graph = nx.from_numpy_array(adj.astype(int))
    assert sum(1 for v in mate if v >= 0) == 2 * len(
        nx.max_weight_matching(graph, maxcardinality=True)
    )
    assert all(mate[mate[v]] == v and adj[v, mate[v]] for v in range(n) if mate[v] >= 0)


def circle_rounds(n: int, rounds: int) -> np.ndarray:
    """Adjacency of the first ``rounds`` rounds of the circle method on n vertices."""
    adj = np.zeros((n, n), dtype=bool)
    m = n - 1
    for r in range(rounds):
        adj[n - 1, r] = adj[r, n - 1] = True
        for k in range(1, n // 2):
            a, b = (r + k) % m, (r - k) % m
            adj[a, b] = adj[b, a] = True
    return adj


def is_factorisation(adj: np.ndarray, classes: list[np.ndarray]) -> bool:
    n = len(adj)
    seen = np.zeros_like(adj)
    for mate in classes:
        if (
            (mate < 0).any()
            or (mate[mate] != np.arange(n)).any()
            or not adj[np.arange(n), mate].all()
        ):
            return False
        seen[np.arange(n), mate] = True
    return bool((seen == adj).all())


@pytest.mark.parametrize(("n", "d"), [(2, 1), (8, 7), (30, 29), (40, 12), (60, 2), (64, 31)])
def test_regular_graphs_made_of_matchings_are_factorised(n, d):
    adj = circle_rounds(n, d)
    i, j = np.nonzero(np.triu(adj, 1))
    classes = factorise(n, i.astype(np.int64), j.astype(np.int64), d)
    assert classes is not None and is_factorisation(adj, classes)


def test_two_odd_cycles_have_no_factorisation():
    n = 6
    i = np.array([0, 1, 0, 3, 4, 3])
    j = np.array([1, 2, 2, 4, 5, 5])
    assert factorise(n, i, j, 2) is None


def test_improved_factorisation_is_still_one_and_its_first_class_is_no_worse():
    n, d = 20, 9
    adj = circle_rounds(n, d)
    i, j = np.nonzero(np.triu(adj, 1))
    classes = factorise(n, i.astype(np.int64), j.astype(np.int64), d)
    assert classes is not None
    scores = np.random.default_rng(1).random((n, n))
    scores = scores + scores.T
    better = improve(classes, scores)
    assert is_factorisation(adj, better)
    assert matching_weight(scores, better[0]) >= max(matching_weight(scores, c) for c in classes)


def test_a_certificate_is_recovered_from_the_last_round_when_needed():
    n, d = 20, 9
    adj = circle_rounds(n, d)
    scores = np.random.default_rng(2).random((n, n))
    scores = scores + scores.T
    classes = certificate(adj, scores, [])
    assert classes is not None
    chosen = improve(classes, scores)[0]
    rest = adj.copy()
    rest[np.arange(n), chosen] = False
    again = certificate(rest, scores, [chosen])
    assert again is not None and is_factorisation(rest, again)


@pytest.mark.parametrize(
    ("n", "k", "sizes"),
    [
        (2, 3, [2]),
        (7, 3, [4, 3]),
        (9, 4, [5, 4]),
        (11, 4, [4, 4, 3]),
        (12, 4, [4, 4, 4]),
        (100, 3, [4] + [3] * 32),
        (5, 8, [5]),
    ],
)
def test_group_sizes_absorb_the_remainder(n, k, sizes):
    assert group_sizes(n, k) == sizes


@settings(max_examples=30, deadline=None)
@given(st.integers(20, 60), st.integers(0, 2**31))
def test_dense_matcher_is_close_to_the_blossom_optimum(n, seed):
    rng = np.random.default_rng(seed)
    w = rng.integers(0, 6, (n, n)).astype(float)
    w = w + w.T
    np.fill_diagonal(w, -np.inf)
    mate = best_matching(w, rng=rng)
    graph = nx.Graph()
    graph.add_weighted_edges_from((a, b, w[a, b]) for a in range(n) for b in range(a + 1, n))
    opt = sum(w[a, b] for a, b in nx.max_weight_matching(graph, maxcardinality=True))
    assert (mate >= 0).sum() >= n - 1
    assert matching_weight(w, mate) >= 0.97 * opt


def tight_cut_graph(n: int, inside: int, d: int, seed: int) -> np.ndarray | None:
    """A d-regular graph made of d perfect matchings that each cross the odd set
    {0..inside-1} exactly once: its cut is tight. Members with two cut edges make
    parallel edges once the outside is shrunk."""
    rng = np.random.default_rng(seed)
    adj = np.zeros((n, n), dtype=bool)
    for _ in range(d):
        for _attempt in range(200):
            a, b = int(rng.integers(inside)), int(rng.integers(inside, n))
            if adj[a, b]:
                continue
            mate = {a: b, b: a}
            ok = True
            for side in (range(inside), range(inside, n)):
                rest = [v for v in side if v not in mate]
                rng.shuffle(rest)
                for x, y in zip(rest[::2], rest[1::2], strict=True):
                    if adj[x, y]:
                        ok = False
                    mate[x], mate[y] = y, x
            if ok:
                for x, y in mate.items():
                    adj[x, y] = True
                break
        else:
            return None
    return adj


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31), st.sampled_from([(12, 5, 3), (20, 7, 4), (30, 9, 6), (26, 13, 5)]))
@example(511, (12, 5, 3))  # its outside half, cubic on 8 vertices, defeated the Kempe walk
def test_graphs_with_a_tight_cut_are_factorised_half_by_half(seed, shape):
    from pairing.tight_cuts import factorise_split

    n, inside, d = shape
    adj = tight_cut_graph(n, inside, d, seed)
    if adj is None:
        return
    i, j = np.nonzero(np.triu(adj, 1))
    odd = [np.arange(inside, dtype=np.int64)]
    classes = factorise_split(n, i.astype(np.int64), j.astype(np.int64), d, odd)
    assert classes is not None and is_factorisation(adj, classes)
    assert all(int((c[:inside] >= inside).sum()) == 1 for c in classes)  # one cut edge each
