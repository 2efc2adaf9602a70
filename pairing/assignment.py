"""The best assignment (cycle cover) of a dense weight matrix, solved on a few pairs.

:func:`pairing.dense_matching.cycle_cover_matching` needs, for everyone, a "next"
person so that the total weight is as large as possible: the assignment problem.
scipy's dense solver takes 0.1-0.2 s on 1,000 people; almost all of its pairs could
never be in the answer. So the problem is solved on a short list of pairs and then
*priced* over all of them, the way column generation works:

1. everyone's ``CANDIDATES`` pairs with the best weight less half of both ends' best
   weight (a popular person is worth less to each of many admirers; the plain best
   pairs pile onto a few people and often admit no full assignment), plus a ring of
   every person with the next, so that a full assignment always exists;
2. scipy's sparse solver (LAPJVsp) solves the assignment on those pairs;
3. its dual prices come from shortest paths (Bellman-Ford, a vectorised sweep per
   step) on the graph of "move from column ``next(i)`` to column ``j``", with the
   weight lost by doing so; no negative cycle exists because the assignment is optimal
   on the short list;
4. one pass over the dense matrix finds the pairs those prices do not cover (reduced
   weight above zero); each row's best few are added and the solve repeats. When no
   pair is left the prices prove the assignment optimal over every pair: its total is
   exactly the dense solver's (to rounding), with far less work.

Whenever something does not fit (a ring pair that is not allowed ends up in the
answer: no full assignment on the allowed pairs; rounding that would make the
shortest paths cycle), the dense solver runs instead, as before.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FORBIDDEN = -1e12  # what the dense solver gets for pairs that are not usable
SPARSE_MIN = 200  # below this the dense solver is as fast
CANDIDATES = 16
PRICE_STEPS = 2
ADDED_PER_ROW = 5
MAX_SOLVES = 12
REFRESH = 0.2
REFRESH_PER_ROW = 10
TOLERANCE = 1e-9


def best_assignment(weights: FloatArray) -> IntArray:
    """``successor`` maximising ``sum(weights[i, successor[i]])`` over the finite
    entries (``-inf`` marks pairs that may not be used) where a full assignment on them
    exists; else the dense solver's, which uses as few of the others as it can."""
    n = len(weights)
    if n >= SPARSE_MIN:
        found = _priced(weights)
        if found is not None:
            return found
    from scipy.optimize import linear_sum_assignment  # here: 0.4 s at start-up

    finite = np.where(np.isfinite(weights), weights, FORBIDDEN)
    _, successor = linear_sum_assignment(finite, maximize=True)
    result: IntArray = successor.astype(np.int64)
    return result


def _priced(weights: FloatArray) -> IntArray | None:
    n = len(weights)
    best = weights.max(axis=1)
    if not np.isfinite(best).all():
        return None  # someone has no allowed pair at all: the dense solver decides
    reduced = _first_reduced(weights, best)
    k = min(CANDIDATES, n - 1)
    top = np.argpartition(reduced, n - k, axis=1)[:, n - k :]
    rows = np.repeat(np.arange(n, dtype=np.int64), k)
    cols = top.ravel().astype(np.int64)
    ring = np.arange(n, dtype=np.int64)
    keys = _distinct(
        np.concatenate([rows * n + cols, cols * n + rows, ring * n + np.roll(ring, -1)])
    )
    everyone = np.arange(n)
    listed = weights[keys // n, keys % n]
    lowest = float(min(listed[np.isfinite(listed)].min(), best.min()))
    highest = float(best.max())
    # A ring pair that is not allowed costs more than any assignment of the pairs worth
    # at least ``lowest`` could gain by it; should the answer still use one (the
    # allowed pairs admit no full assignment, or only through worse pairs), the dense
    # solver decides.
    penalty = lowest - (n + 1) * (highest - lowest) - 1.0
    tolerance = TOLERANCE * max(1.0, abs(highest), abs(lowest))
    shifted = reduced  # reused: same shape
    for _ in range(MAX_SOLVES):
        i, j = keys // n, keys % n
        w = weights[i, j]
        w[~np.isfinite(w)] = penalty
        successor = _solve(n, i, j, w)
        own = weights[everyone, successor]
        own[~np.isfinite(own)] = penalty
        prices = _column_prices(n, i, j, w, successor, own, tolerance)
        if prices is None:
            return None
        # the excess of (r, c) over its prices is weights[r, c] - row[r] - column[c],
        # with row = own + prices[successor] and column = -prices; a row's order of
        # excess is its order of weights[r, c] + prices[c]
        np.add(weights, prices[None, :], out=shifted)
        short = np.flatnonzero(shifted.max(axis=1) - (own + prices[successor]) > tolerance)
        if len(short) == 0:
            return successor if bool((own > penalty).all()) else None
        if len(short) > REFRESH * n:  # far from optimal yet: a fresh list for everyone
            added = _best_in_rows(shifted, np.arange(n), n, REFRESH_PER_ROW)
        else:
            added = _best_in_rows(shifted[short], short, n, ADDED_PER_ROW)
        keys = _distinct(np.concatenate([keys, added]))
    return None


def _first_reduced(weights: FloatArray, best: FloatArray) -> FloatArray:
    """Weights less estimated prices of both ends, whose largest per row are the first
    short list. Half of each row's best is a feasible price (no pair is worth more than
    its two ends), but far too high for popular people; ``PRICE_STEPS`` damped steps of
    "my price is my best pair less its other end's price" bring the prices close to the
    optimal ones (the first solve then misses the optimum by 0.1-0.4% instead of 5-20%)."""
    price = 0.5 * best
    reduced = np.empty_like(weights)
    for _ in range(PRICE_STEPS):
        np.subtract(weights, price[None, :], out=reduced)
        price = 0.5 * (price + reduced.max(axis=1))
    np.subtract(weights, price[None, :], out=reduced)
    reduced -= price[:, None]
    return reduced


def _solve(n: int, i: IntArray, j: IntArray, w: FloatArray) -> IntArray:
    """The assignment on the listed pairs (``i`` sorted, then ``j``): LAPJVsp minimises
    positive costs, so weights are turned into ``top - w`` (all above zero)."""
    from scipy.sparse import csr_matrix  # here, as scipy.optimize above
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    indptr = np.searchsorted(i, np.arange(n + 1, dtype=np.int64))
    graph = csr_matrix((float(w.max()) + 1.0 - w, j, indptr), shape=(n, n))
    _, successor = min_weight_full_bipartite_matching(graph)
    result: IntArray = successor.astype(np.int64)
    return result


def _column_prices(
    n: int,
    i: IntArray,
    j: IntArray,
    w: FloatArray,
    successor: IntArray,
    own: FloatArray,
    tolerance: float,
) -> FloatArray | None:
    """Shortest distances from everywhere to each column, along the edges
    ``successor[r] -> c`` of length ``own[r] - w(r, c)`` (Bellman-Ford, all at once);
    ``None`` if they do not settle (a negative cycle by rounding)."""
    lengths = own[i] - w
    order = np.argsort(j, kind="stable")
    source, lengths, target = successor[i[order]], lengths[order], j[order]
    starts = np.flatnonzero(np.concatenate([[True], target[1:] != target[:-1]]))
    heads = target[starts]
    distance = np.zeros(n)
    slack = tolerance * 1e-3
    for _ in range(n + 1):
        shortest = np.minimum.reduceat(distance[source] + lengths, starts)
        better = shortest < distance[heads] - slack
        if not better.any():
            return distance
        distance[heads[better]] = shortest[better]
    return None


def _distinct(keys: IntArray) -> IntArray:
    """Sorted distinct keys (a sort beats numpy's hashed unique on these sizes)."""
    keys = np.sort(keys)
    result: IntArray = keys[np.concatenate([[True], keys[1:] != keys[:-1]])]
    return result


def _best_in_rows(values: FloatArray, rows: IntArray, n: int, per_row: int) -> IntArray:
    """Keys of the ``per_row`` largest finite ``values`` of each of ``rows`` (both ways)."""
    k = min(per_row, n - 1)
    top = np.argpartition(values, n - k, axis=1)[:, n - k :]
    chosen = np.isfinite(np.take_along_axis(values, top, axis=1))
    r = np.repeat(rows, k).reshape(top.shape)[chosen]
    c = top[chosen].astype(np.int64)
    return np.concatenate([r * n + c, c * n + r])
