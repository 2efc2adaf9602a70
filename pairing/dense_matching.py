"""Near-optimal maximum-weight matching on a dense weight matrix (up to a few thousand).

Three steps:

1. *cycle cover*: the assignment problem on the (symmetric) weight matrix, solved
   exactly (:mod:`pairing.assignment`: scipy's sparse solver on a short list of pairs,
   priced over all of them), picks for everyone a "next" person; the permutation's
   2-cycles are pairs and its longer cycles are cut into the better alternate half.
   Its value is also an upper bound on twice the optimum.
2. whoever is left (one per odd cycle) is matched two at a time, either directly or
   through a matched pair {a,b} -> {v,a},{b,w}, whichever gains most (all options
   scored at once); if many are left, by greedy matching first (every pair that is
   each other's best remaining partner, a whole layer at a time).
3. *2-opt*: for every two matched pairs {a,b} and {c,d}, the gain of re-pairing them as
   {a,c},{b,d} or {a,d},{b,c} is one matrix expression; the best non-overlapping
   improving swaps are applied until none is left.

Up to ``EXACT_MAX_MEMBERS`` none of this is needed: Edmonds' blossom algorithm
(networkx's ``max_weight_matching``, maximum cardinality first) is exact and takes a few
milliseconds there, while the steps above can miss by several percent on small programs
whose allowed pairs are few (tight reporting lines, much history).

Forbidden pairs are ``-inf`` and are never matched. Callers encode priorities as
weight offsets (e.g. a large penalty on repeats) so one objective covers all.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from pairing.assignment import best_assignment
from pairing.blossom import maximum_matching

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
MAX_SWEEPS = 300
EPSILON = 1e-9
MAX_THROUGH_PAIRS = 40
EXACT_MAX_MEMBERS = 64


def greedy_matching(weights: FloatArray) -> IntArray:
    """Greedy matching of the symmetric ``weights`` (diagonal must be ``-inf``)."""
    n = len(weights)
    mate = np.full(n, -1, dtype=np.int64)
    active = np.arange(n)
    while len(active) > 1:
        sub = weights[np.ix_(active, active)]
        best = np.argmax(sub, axis=1)
        valid = np.isfinite(sub[np.arange(len(active)), best])
        mutual = valid & (best[best] == np.arange(len(active)))
        if not mutual.any():
            break
        rows = np.flatnonzero(mutual)
        mate[active[rows]] = active[best[rows]]
        active = active[~mutual]
    return mate


def cycle_cover_matching(weights: FloatArray, allowed: BoolArray | None = None) -> IntArray:
    """A matching read off the best cycle cover (assignment) of ``weights``.

    With ``allowed`` (e.g. the pairs who have not met) the cover uses only those pairs
    (others are dropped afterwards); that is also many times faster for the solver than
    large finite penalties.
    """
    n = len(weights)
    usable = weights if allowed is None else np.where(allowed, weights, -np.inf)
    successor = best_assignment(usable)
    mate = np.full(n, -1, dtype=np.int64)
    two = (successor[successor] == np.arange(n)) & (successor != np.arange(n))
    mate[two] = successor[two]
    seen = two | (successor == np.arange(n))
    for start in np.flatnonzero(~seen).tolist():
        if seen[start]:
            continue
        cycle = [start]
        seen[start] = True
        x = int(successor[start])
        while x != start:
            cycle.append(x)
            seen[x] = True
            x = int(successor[x])
        _cut_cycle(weights, cycle, mate)
    paired = np.flatnonzero(mate >= 0)
    dropped = ~np.isfinite(usable[paired, mate[paired]])
    mate[paired[dropped]] = -1  # both ends are listed
    return mate


def _cut_cycle(weights: FloatArray, cycle: list[int], mate: IntArray) -> None:
    """Pair alternate neighbours of a cycle, the better way round (one left if odd)."""
    length = len(cycle)
    nodes = np.array(cycle, dtype=np.int64)
    edges = weights[nodes, np.roll(nodes, -1)]  # edge k joins nodes k and k + 1
    if not np.isfinite(edges).all():
        _cut_cycle_slowly(weights, cycle, mate)
        return
    half = length // 2
    if length % 2 == 0:
        totals = np.array([edges[0::2].sum(), edges[1::2].sum()])
    else:
        # offset o takes edges o, o + 2, ..., o + 2 (half - 1), around the cycle
        doubled = np.concatenate([edges, edges])
        totals = np.empty(length)
        for parity in (0, 1):
            sums = np.concatenate([[0.0], np.cumsum(doubled[parity::2])])
            first = np.arange(parity, length, 2) // 2
            totals[parity::2] = sums[first + half] - sums[first]
    offset = int(np.argmax(totals))
    starts = (offset + 2 * np.arange(half)) % length
    a, b = nodes[starts], nodes[(starts + 1) % length]
    mate[a], mate[b] = b, a


def _cut_cycle_slowly(weights: FloatArray, cycle: list[int], mate: IntArray) -> None:
    """:func:`_cut_cycle` for a cycle through forbidden pairs (infinite weights)."""
    length = len(cycle)
    best_total, best_pairs = -np.inf, []
    for offset in range(length if length % 2 else 2):
        pairs = [
            (cycle[(offset + 2 * k) % length], cycle[(offset + 2 * k + 1) % length])
            for k in range(length // 2)
        ]
        total = sum(float(weights[a, b]) for a, b in pairs)
        if total > best_total:
            best_total, best_pairs = total, pairs
    for a, b in best_pairs:
        mate[a], mate[b] = b, a


def best_matching(
    weights: FloatArray, allowed: BoolArray | None = None, rng: np.random.Generator | None = None
) -> IntArray:
    """Cycle cover, then the ones left over, then 2-opt (see the module doc).

    ``allowed`` restricts the cycle cover to preferred pairs (see
    :func:`cycle_cover_matching`); the later steps use all finite weights. With ``rng``
    the work happens on a random relabelling, which breaks ties by the seed (and is
    cheaper for the assignment solver than jitter on the weights).
    """
    if rng is None:
        return _best_matching(weights, allowed)
    perm = rng.permutation(len(weights))
    shuffled = _best_matching(
        weights[perm][:, perm], None if allowed is None else allowed[perm][:, perm]
    )
    mate = np.full(len(weights), -1, dtype=np.int64)
    paired = shuffled >= 0
    mate[perm[paired]] = perm[shuffled[paired]]
    return mate


def best_complete_matching(weights: FloatArray) -> IntArray:
    """:func:`best_matching`, grown to a maximum-cardinality matching of the finite
    entries by augmenting paths (Edmonds) where the heuristic leaves people out."""
    mate = best_matching(weights)
    free = np.flatnonzero(mate < 0)
    if len(free) < 2:
        return mate
    finite = np.isfinite(weights)
    np.fill_diagonal(finite, False)
    grown = maximum_matching(
        len(mate), lambda v: np.flatnonzero(finite[v]).tolist(), mate.tolist(), free.tolist()
    )
    return two_opt(weights, np.array(grown, dtype=np.int64))


def _best_matching(weights: FloatArray, allowed: BoolArray | None) -> IntArray:
    if len(weights) <= EXACT_MAX_MEMBERS:
        return exact_matching(weights)
    mate = cycle_cover_matching(weights, allowed)
    free = np.flatnonzero(mate < 0)
    if len(free) > MAX_THROUGH_PAIRS:
        sub = greedy_matching(weights[np.ix_(free, free)])
        matched = sub >= 0
        mate[free[matched]] = free[sub[matched]]
    match_through_pairs(weights, mate)
    return two_opt(weights, mate)


def exact_matching(weights: FloatArray) -> IntArray:
    """The maximum-weight matching among those of maximum cardinality on the finite
    entries of the symmetric ``weights`` (Edmonds' blossom algorithm, networkx)."""
    import networkx as nx  # here: 0.2 s at start-up, for the few rounds that need it

    n = len(weights)
    finite = np.isfinite(weights)
    np.fill_diagonal(finite, False)
    rows, cols = np.nonzero(np.triu(finite, 1))
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    edges = zip(rows.tolist(), cols.tolist(), weights[rows, cols].tolist(), strict=True)
    graph.add_weighted_edges_from(edges)
    mate = np.full(n, -1, dtype=np.int64)
    for a, b in nx.max_weight_matching(graph, maxcardinality=True):
        mate[a], mate[b] = b, a
    return mate


def match_through_pairs(weights: FloatArray, mate: IntArray) -> None:
    """Match free vertices two at a time, directly or via a matched pair (in place).

    Each step takes the best move of all: a free pair {v,w} directly, or a matched pair
    {x,y} re-paired as {v,x},{w,y}. The best way through a pair for every two free
    vertices is kept between steps: a step removes two free vertices and at most one
    pair, and adds at most two pairs, so only the moves that went through the removed
    pair are weighed again over all pairs, and the new pairs are offered to every move.
    """
    free = np.flatnonzero(mate < 0)
    if len(free) < 2:
        return
    a, b = _pairs(mate)
    a, b = a.tolist(), b.tolist()
    own = weights[a, b].tolist() if a else []
    through = np.full((len(free), len(free)), -np.inf)  # best gain via a pair, per move
    pair = np.zeros((len(free), len(free)), dtype=np.int64)  # which pair (index in a, b)
    if a:
        _best_through(weights, free, np.array(a), np.array(b), np.array(own), through, pair)
    direct = weights[free][:, free]
    np.fill_diagonal(direct, -np.inf)
    np.fill_diagonal(through, -np.inf)
    while len(free) >= 2:
        value = np.maximum(direct, through)
        cell = int(np.argmax(value))
        vi, wi = divmod(cell, len(free))
        if not np.isfinite(value[vi, wi]):
            return
        v, w = int(free[vi]), int(free[wi])
        keep = np.ones(len(free), dtype=bool)
        keep[[vi, wi]] = False
        if through[vi, wi] <= direct[vi, wi]:
            mate[v], mate[w] = w, v
            made, gone = [(v, w)], -1
        else:
            gone = int(pair[vi, wi])
            x, y = a[gone], b[gone]
            straight = weights[v, x] + weights[w, y] - own[gone]
            crossed = weights[v, y] + weights[w, x] - own[gone]
            if straight < crossed:
                x, y = y, x
            mate[v], mate[x], mate[w], mate[y] = x, v, y, w
            made = [(v, x), (w, y)]
            own[gone] = np.inf  # any way through it is now worth -inf
        free, direct = free[keep], direct[np.ix_(keep, keep)]
        through, pair = through[np.ix_(keep, keep)], pair[np.ix_(keep, keep)]
        if len(free) < 2:
            return
        new = list(range(len(a), len(a) + len(made)))
        for s_, t_ in made:
            a.append(min(s_, t_))
            b.append(max(s_, t_))
            own.append(float(weights[a[-1], b[-1]]))
        everything = np.arange(len(a))
        arr_a, arr_b, arr_own = np.array(a), np.array(b), np.array(own)
        stale = np.argwhere(pair == gone)  # their best way went through the pair just used
        if gone >= 0 and len(stale):
            rows, cols = stale[:, 0], stale[:, 1]
            gains = _gains_through(weights, free[rows], free[cols], arr_a, arr_b, arr_own)
            best = np.argmax(gains, axis=1)
            through[rows, cols] = gains[np.arange(len(rows)), best]
            pair[rows, cols] = everything[best]
        fresh_through = np.full(through.shape, -np.inf)
        fresh_pair = np.zeros(pair.shape, dtype=np.int64)
        _best_through(
            weights, free, arr_a[new], arr_b[new], arr_own[new], fresh_through, fresh_pair
        )
        np.fill_diagonal(fresh_through, -np.inf)
        better = fresh_through > through
        through[better] = fresh_through[better]
        pair[better] = np.array(new)[fresh_pair[better]]
        np.fill_diagonal(through, -np.inf)


def _best_through(
    weights: FloatArray,
    free: IntArray,
    a: IntArray,
    b: IntArray,
    own: FloatArray,
    through: FloatArray,
    pair: IntArray,
) -> None:
    """For every two free vertices {v,w}: the best gain of re-pairing one of the pairs
    {a,b} as {v,a},{w,b} or {v,b},{w,a}, and which pair, into ``through`` and ``pair``."""
    to_a, to_b = weights[free][:, a], weights[free][:, b]
    straight = to_a[:, None, :] + to_b[None, :, :] - own  # {v,a},{w,b}
    crossed = to_b[:, None, :] + to_a[None, :, :] - own  # {v,b},{w,a}
    via = np.maximum(straight, crossed)
    pair[:] = np.argmax(via, axis=2)
    through[:] = np.take_along_axis(via, pair[:, :, None], 2)[:, :, 0]


def _gains_through(
    weights: FloatArray, v: IntArray, w: IntArray, a: IntArray, b: IntArray, own: FloatArray
) -> FloatArray:
    """Gain of each move {v[k], w[k]} through each pair {a, b}, the better way round."""
    straight = weights[v][:, a] + weights[w][:, b] - own
    crossed = weights[v][:, b] + weights[w][:, a] - own
    result: FloatArray = np.maximum(straight, crossed)
    return result


def _pairs(mate: IntArray) -> tuple[IntArray, IntArray]:
    a = np.flatnonzero(mate > np.arange(len(mate)))
    return a, mate[a]


def two_opt(weights: FloatArray, mate: IntArray, max_sweeps: int = MAX_SWEEPS) -> IntArray:
    """Improve a matching by exchanging partners between two pairs while it pays.

    Each sweep makes the best non-overlapping improving exchanges. The gains of every
    two pairs are kept between sweeps; only the rows and columns of the pairs that
    changed are weighed again (the first sweep weighs all of them)."""
    mate = mate.copy()
    a, b = _pairs(mate)
    m = len(a)
    if m < 2:
        return mate
    a, b = a.copy(), b.copy()  # pair k is {a[k], b[k]}
    own = weights[a, b]
    same = np.empty((m, m))  # {a_i,a_j},{b_i,b_j}
    cross = np.empty((m, m))  # {a_i,b_j},{b_i,a_j}
    gain = np.empty((m, m))
    changed = np.arange(m)
    for _ in range(max_sweeps):
        _exchange_gains(weights, a, b, own, changed, same, cross, gain)
        flat = np.flatnonzero(gain > EPSILON)
        first, second = np.divmod(flat, m)
        flat = flat[first < second]
        if len(flat) == 0:
            break
        if len(flat) > 8 * m:
            flat = flat[np.argpartition(-gain.flat[flat], 8 * m)[: 8 * m]]
        flat = flat[np.argsort(-gain.flat[flat], kind="stable")]
        used = np.zeros(m, dtype=bool)
        for cell in flat.tolist():
            i, j = divmod(cell, m)
            if used[i] or used[j]:
                continue
            used[i] = used[j] = True
            ai, bi, aj, bj = int(a[i]), int(b[i]), int(a[j]), int(b[j])
            if same[i, j] >= cross[i, j]:
                b[i], a[j] = aj, bi  # {ai, aj}, {bi, bj}
                mate[ai], mate[aj], mate[bi], mate[bj] = aj, ai, bj, bi
            else:
                b[i], a[j] = bj, bi  # {ai, bj}, {bi, aj}
                b[j] = aj
                mate[ai], mate[bj], mate[bi], mate[aj] = bj, ai, aj, bi
        changed = np.flatnonzero(used)
        low = np.minimum(a[changed], b[changed])  # each pair as {smaller, larger}, as
        b[changed] = np.maximum(a[changed], b[changed])  # _pairs lists them
        a[changed] = low
        own[changed] = weights[a[changed], b[changed]]
    return mate


def _exchange_gains(
    weights: FloatArray,
    a: IntArray,
    b: IntArray,
    own: FloatArray,
    rows: IntArray,
    same: FloatArray,
    cross: FloatArray,
    gain: FloatArray,
) -> None:
    """Recompute the gains of exchanges between the pairs ``rows`` and all pairs, both
    ways round (in place)."""
    wa, wb = weights[a[rows]], weights[b[rows]]  # rows of the weight matrix
    base = own[rows, None] + own[None, :]
    same[rows] = wa[:, a] + wb[:, b] - base
    cross[rows] = wa[:, b] + wb[:, a] - base
    gain[rows] = np.maximum(same[rows], cross[rows])
    if len(rows) == len(a):
        return
    ca, cb = weights[:, a[rows]], weights[:, b[rows]]  # the columns too: weights may be
    base = own[:, None] + own[None, rows]  # asymmetric
    same[:, rows] = ca[a] + cb[b] - base
    cross[:, rows] = cb[a] + ca[b] - base
    gain[:, rows] = np.maximum(same[:, rows], cross[:, rows])


def matching_weight(weights: FloatArray, mate: IntArray) -> float:
    a, b = _pairs(mate)
    return float(weights[a, b].sum())
