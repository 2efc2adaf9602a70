"""1-factorisations (perfect d-edge-colourings) of d-regular graphs.

A d-regular graph on an even number of vertices can host d more repeat-free rounds
only if its edges split into d perfect matchings (a 1-factorisation). Deciding that is
NP-hard in general, but a randomised Kempe-chain search finds one quickly for the
graphs that occur here:

1. colour edges first-fit in a shuffled order;
2. for each uncoloured edge ``uv`` take a colour ``a`` missing at ``u`` and ``b``
   missing at ``v``; swap ``a``/``b`` along the alternating chain that starts at ``v``,
   which frees ``a`` at ``v`` unless the chain ends in ``u``; in that case move ``uv``
   into colour ``a`` and uncolour ``v``'s old ``a`` edge instead (a random walk step).

The search is seeded from the graph alone, so the same graph always gives the same
factorisation: the engine relies on that to re-derive a certificate from the history.
Small graphs (up to a few thousand edges, such as the halves of a tight cut split by
:mod:`pairing.tight_cuts`) get a few walks with different seeds before giving up.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
STEPS_PER_EDGE = 20
ODD_RETRIES = 6
MAX_ATTEMPTS = 8
SMALL_WORK = 20_000  # edges x attempts
EXACT_VERTICES = 16  # graphs this small are settled exactly when the walk gives up
EXACT_STEPS = 200_000  # ... within this many backtracking steps


def _colour_first_fit(
    n: int, d: int, edges: Sequence[tuple[int, int]]
) -> tuple[list[list[int]], list[set[int]], list[tuple[int, int]]]:
    partner = [[-1] * d for _ in range(n)]
    free = [set(range(d)) for _ in range(n)]
    left: list[tuple[int, int]] = []
    for u, v in edges:
        common = free[u] & free[v]
        if common:
            c = min(common)
            partner[u][c], partner[v][c] = v, u
            free[u].discard(c)
            free[v].discard(c)
        else:
            left.append((u, v))
    return partner, free, left


def factorise(n: int, i: IntArray, j: IntArray, d: int) -> list[IntArray] | None:
    """Split the d-regular graph with edges ``(i[k], j[k])`` into d perfect matchings.

    Returns one partner array per matching, or ``None`` if the search gives up. For odd
    d the Kempe walk mixes poorly (think of cubic graphs), so when it stalls each complete
    colour class is tried as the first matching and the even rest is factorised anew;
    graphs of up to ``EXACT_VERTICES`` vertices then get an exact search.
    """
    if n % 2 or len(i) * 2 != n * d:
        return None
    if d <= 2:
        return _factorise_cycles(n, i, j, d) if d else []
    attempts = max(1, min(MAX_ATTEMPTS, SMALL_WORK // max(len(i), 1)))
    for attempt in range(attempts):  # small graphs: a few more walks, each cheap
        rng = random.Random(n * 1_000_003 + d * 7919 + len(i) + attempt * 104_729)
        table, done = _kempe(n, d, i, j, rng)
        if done:
            return [table[:, c].copy() for c in range(d)]
    if d % 2:
        complete = [c for c in range(d) if (table[:, c] >= 0).all()]
        for c in complete[:ODD_RETRIES]:
            first = table[:, c]
            hit = np.flatnonzero(first[i] == j)
            _, once = np.unique(i[hit] * n + j[hit], return_index=True)  # one of parallel
            keep = np.ones(len(i), dtype=bool)
            keep[hit[once]] = False
            rest = factorise(n, i[keep], j[keep], d - 1)
            if rest is not None:
                return [first.copy(), *rest]
    return _factorise_exact(n, i, j, d) if n <= EXACT_VERTICES else None


def _factorise_exact(n: int, i: IntArray, j: IntArray, d: int) -> list[IntArray] | None:
    """Backtracking over perfect matchings (the lowest unmatched vertex takes each
    neighbour in turn), for small graphs where the walk gave up: a cubic graph on 8
    vertices, the outside of a tight cut, can defeat it though it is 1-factorable.
    Gives up after ``EXACT_STEPS`` steps; deterministic, like the walk."""
    count = [[0] * n for _ in range(n)]
    for u, v in zip(i.tolist(), j.tolist(), strict=True):
        count[u][v] += 1
        count[v][u] += 1
    steps = [EXACT_STEPS]
    mate = [-1] * n

    def classes(left: int) -> list[list[int]] | None:
        if left == 0:
            return []
        return matchings(0, left)

    def matchings(v: int, left: int) -> list[list[int]] | None:
        while v < n and mate[v] >= 0:
            v += 1
        if v == n:  # a perfect matching: take it out and factorise the rest
            chosen = list(mate)
            mate[:] = [-1] * n
            for x, y in enumerate(chosen):
                count[x][y] -= 1
            rest = classes(left - 1)
            for x, y in enumerate(chosen):
                count[x][y] += 1
            mate[:] = chosen
            return None if rest is None else [chosen, *rest]
        for w in range(v + 1, n):
            steps[0] -= 1
            if steps[0] < 0:
                return None
            if mate[w] < 0 and count[v][w] > 0:
                mate[v], mate[w] = w, v
                found = matchings(v + 1, left)
                mate[v] = mate[w] = -1
                if found is not None:
                    return found
        return None

    found = classes(d)
    return None if found is None else [np.array(c, dtype=np.int64) for c in found]


def _kempe(
    n: int, d: int, i: IntArray, j: IntArray, rng: random.Random
) -> tuple[npt.NDArray[np.int64], bool]:
    """Kempe-chain search; returns the partner table (n x d) and whether it is complete."""
    edges = sorted(zip(i.tolist(), j.tolist(), strict=True))
    rng.shuffle(edges)
    partner, free, queue = _colour_first_fit(n, d, edges)
    budget = STEPS_PER_EDGE * len(edges) + 1000
    while queue and budget > 0:
        u, v = queue.pop()
        common = free[u] & free[v]
        if common:
            c = min(common)
            partner[u][c], partner[v][c] = v, u
            free[u].discard(c)
            free[v].discard(c)
            continue
        if rng.random() < 0.5:
            u, v = v, u
        a = rng.choice(sorted(free[u]))
        b = rng.choice(sorted(free[v]))
        chain = _chain(partner, v, a, b)
        budget -= len(chain)
        if chain[-1] != u:
            _swap(partner, free, chain, a, b)
            partner[u][a], partner[v][a] = v, u
            free[u].discard(a)
            free[v].discard(a)
            continue
        # a and b alone close an odd cycle through uv. Either move uv into colour a and
        # uncolour v's old a edge (the defect walks on), or recolour v's free colour b
        # to a random third colour along a b/c chain (the free colours mix).
        if d == 3 or rng.random() < 0.5:
            w = partner[v][a]
            partner[w][a] = partner[v][a] = -1
            free[w].add(a)
            partner[u][a], partner[v][a] = v, u
            free[u].discard(a)
            queue.insert(rng.randrange(len(queue) + 1), (v, w))
            continue
        c = sorted(set(range(d)) - {a, b})[rng.randrange(d - 2)]
        chain = _chain(partner, v, c, b)
        budget -= len(chain)
        _swap(partner, free, chain, c, b)
        queue.append((u, v))
    return np.array(partner, dtype=np.int64).reshape(n, d), not queue


def _chain(partner: list[list[int]], start: int, first: int, second: int) -> list[int]:
    """The path from ``start`` alternating colours ``first``, ``second``, ..."""
    chain = [start]
    x, c = start, first
    while partner[x][c] != -1:
        x = partner[x][c]
        chain.append(x)
        c = second if c == first else first
    return chain


def _swap(partner: list[list[int]], free: list[set[int]], chain: list[int], a: int, b: int) -> None:
    """Exchange colours a and b on the alternating path ``chain``."""
    colours = [a if k % 2 == 0 else b for k in range(len(chain) - 1)]
    for k in range(len(chain) - 1):
        x, y = chain[k], chain[k + 1]
        partner[x][colours[k]] = -1
        partner[y][colours[k]] = -1
    for k in range(len(chain) - 1):
        x, y = chain[k], chain[k + 1]
        new = b if colours[k] == a else a
        partner[x][new], partner[y][new] = y, x
    for end in (chain[0], chain[-1]):
        free[end] = {c for c in (a, b) if partner[end][c] == -1} | (free[end] - {a, b})


def _factorise_cycles(n: int, i: IntArray, j: IntArray, d: int) -> list[IntArray] | None:
    """Exact for d <= 2: a perfect matching, or a union of cycles that must all be even."""
    neighbours: list[list[int]] = [[] for _ in range(n)]
    for u, v in zip(i.tolist(), j.tolist(), strict=True):
        neighbours[u].append(v)
        neighbours[v].append(u)
    colours = [np.full(n, -1, dtype=np.int64) for _ in range(d)]
    if d == 1:
        for u in range(n):
            colours[0][u] = neighbours[u][0]
        return colours
    seen = [False] * n
    for start in range(n):
        if seen[start]:
            continue
        cycle = [start]
        seen[start] = True
        prev, x = -1, start
        while True:
            a, b = neighbours[x]
            nxt = b if a == prev else a
            if nxt == start or (a == b and len(cycle) == 2):
                break
            cycle.append(nxt)
            seen[nxt] = True
            prev, x = x, nxt
        if len(cycle) % 2:
            return None
        for k, x in enumerate(cycle):
            y = cycle[(k + 1) % len(cycle)]
            colours[k % 2][x], colours[k % 2][y] = y, x
    return colours
