"""Coffee pairs for large programs (thousands to 100,000+ members) on a sparse graph.

A dense matrix would need N^2 entries, so:

1. everyone gets *candidate* partners: neighbours in a noisy working-hours order, people
   listed under the same set of one to three interests, random people
   (:mod:`pairing.candidates`); the unmet candidate pairs are matched greedily (locally
   dominant edges, best first), then re-matched densely in blocks of people with
   similar hours, a block kept only where it gains (:mod:`pairing.block_refine`);
2. whoever is left gets wider candidates among the others left and is matched greedily;
   the last few are matched by augmenting paths (Edmonds) on the unmet candidate graph;
3. 2-opt: for candidate pairs {a,c} of two matched pairs {a,b},{c,d}, swap to
   {a,c},{b,d} when that gains, all such swaps scored at once;
4. anyone still alone is paired with the best (oldest) repeat, and an odd one out joins
   the pair that suits them best.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import numpy.typing as npt

from pairing.block_refine import refine_in_blocks
from pairing.blossom import maximum_matching
from pairing.candidates import CHUNK, PairWeights, candidate_pairs, interest_key_pairs
from pairing.dense_context import PRIORITY_CREDIT
from pairing.dense_matching import best_matching
from pairing.history import PairHistory
from pairing.options import Weights
from pairing.table import MemberTable

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Int32Array = npt.NDArray[np.int32]
LEFTOVER_PASSES = 4
TWO_OPT_SWEEPS = 6
DENSE_REST = 2000
GREEDY_CHUNK = 4  # pairs per member the greedy takes first
GREEDY_SAMPLE = 100_000


def greedy_sparse(n: int, i: IntArray, j: IntArray, w: FloatArray, mate: IntArray) -> None:
    """Greedy matching by weight (best first) of the candidate pairs, into ``mate``.

    Done by locally dominant edges (every pair that is both ends' best remaining one,
    a whole layer at a time), on the best pairs first (about ``GREEDY_CHUNK`` x n, by a
    threshold read off a sample): the greedy decides all of those before it looks at
    any other, and they match most people, so the rest is only filtered (both ends
    still free) and taken the same way. The same matching as sorting every pair (ties
    in list order), without that sort or sweeps of every pair in every layer (at
    100,000 members the candidates are 5.6 million pairs, the layers 26), and with
    temporaries a fraction of the list's size."""
    chunk = max(GREEDY_CHUNK * n, 1)
    while len(i):
        alive = (mate[i] < 0) & (mate[j] < 0)
        if not alive.all():
            i, j, w = i[alive], j[alive], w[alive]
        del alive
        if len(i) > chunk:
            sample = np.sort(w[:: max(1, len(w) // GREEDY_SAMPLE)])
            threshold = sample[len(sample) - 1 - (len(sample) * chunk) // len(w)]
            best = np.flatnonzero(w >= threshold)
        else:
            best = np.arange(len(i))
        order = best[np.argsort(-w[best], kind="stable")]
        _locally_dominant(n, i[order].astype(np.int32), j[order].astype(np.int32), mate)
        if len(best) == len(i):
            return  # every pair left has a matched end


def _locally_dominant(n: int, i: Int32Array, j: Int32Array, mate: IntArray) -> None:
    """Greedy matching of the pairs ``(i[k], j[k])``, listed best first (in place)."""
    free = (mate[i] < 0) & (mate[j] < 0)
    rank = np.flatnonzero(free).astype(np.int32)  # positions in the best-first order
    i, j, none = i[rank], j[rank], len(free)
    while len(i):
        best = np.full(n, none, dtype=np.int32)
        np.minimum.at(best, i, rank)
        np.minimum.at(best, j, rank)
        mutual = (best[i] == rank) & (best[j] == rank)
        mate[i[mutual]], mate[j[mutual]] = j[mutual], i[mutual]
        keep = (mate[i] < 0) & (mate[j] < 0)
        i, j, rank = i[keep], j[keep], rank[keep]


def two_opt_sparse(
    pw: PairWeights, i: IntArray, j: IntArray, w: FloatArray, mate: IntArray
) -> None:
    """Swap partners along candidate pairs (weights ``w``) while it pays (in place).

    After the first sweep only candidate pairs with an end whose partner changed can
    gain anew, so only those are weighed again; gains are found a chunk at a time."""
    changed = np.ones(len(mate), dtype=bool)
    for _ in range(TWO_OPT_SWEEPS):
        live = np.flatnonzero(changed[i] | changed[j])
        if len(live) == 0:
            return
        own = _own_weights(pw, mate)
        found = [
            _gains(pw, mate, own, i[part], j[part], w[part])
            for part in (live[k : k + CHUNK] for k in range(0, len(live), CHUNK))
        ]
        gain, a, b, c, d = (np.concatenate(x) for x in zip(*found, strict=True))
        if len(gain) == 0:
            return
        changed[:] = False
        for k in np.argsort(-gain, kind="stable").tolist():
            av, bv, cv, dv = int(a[k]), int(b[k]), int(c[k]), int(d[k])
            if changed[av] or changed[bv] or changed[cv] or changed[dv]:
                continue
            changed[[av, bv, cv, dv]] = True
            mate[av], mate[cv], mate[bv], mate[dv] = cv, av, dv, bv


def _own_weights(pw: PairWeights, mate: IntArray) -> FloatArray:
    """Everyone's weight with their current partner (0 if none)."""
    paired = np.flatnonzero(mate > np.arange(len(mate)))
    own = np.zeros(len(mate))
    own[paired] = pw.weights(paired, mate[paired])
    own[mate[paired]] = own[paired]
    return own


def _gains(
    pw: PairWeights, mate: IntArray, own: FloatArray, a: IntArray, c: IntArray, ac: FloatArray
) -> tuple[FloatArray, IntArray, IntArray, IntArray, IntArray]:
    """Swaps {a,b},{c,d} -> {a,c},{b,d} that gain, with their gains (``ac``: the
    weights of the pairs {a,c})."""
    b, d = mate[a], mate[c]
    ok = (b >= 0) & (d >= 0) & (b != c)
    a, b, c, d = a[ok], b[ok], c[ok], d[ok]
    gain = ac[ok] + pw.weights(b, d) - own[a] - own[c]
    good = gain > 1e-9
    return gain[good], a[good], b[good], c[good], d[good]


def plan_pairs_sparse(
    table: MemberTable,
    past: PairHistory,
    forbidden: tuple[IntArray, IntArray],
    weights: Weights,
    priority: BoolArray,
    rng: np.random.Generator,
) -> tuple[list[tuple[int, ...]], list[int], list[str]]:
    n = len(table.ids)
    pw = PairWeights(table, past, forbidden, weights, priority, rng)
    everyone = np.arange(n, dtype=np.int64)
    i, j = pw.usable(*_first_candidates(table, everyone, rng))
    mate = np.full(n, -1, dtype=np.int64)
    w = pw.weights(i, j)
    greedy_sparse(n, i, j, w, mate)
    refine_in_blocks(pw, table, mate, rng)
    all_i, all_j, all_w = [i], [j], [w]
    for _ in range(LEFTOVER_PASSES):
        rest = np.flatnonzero(mate < 0)
        if len(rest) < 2:
            break
        ri, rj = pw.usable(*candidate_pairs(table, rest, rng, wide=True))
        rw = pw.weights(ri, rj)
        greedy_sparse(n, ri, rj, rw, mate)
        all_i.append(ri)
        all_j.append(rj)
        all_w.append(rw)
    i, j, w = np.concatenate(all_i), np.concatenate(all_j), np.concatenate(all_w)
    _augment(n, i, j, mate)
    two_opt_sparse(pw, i, j, w, mate)
    if n % 2 == 0:
        _augment_on_all_unmet(pw, past, forbidden, mate)
    _pair_the_rest(pw, mate)
    groups: list[tuple[int, ...]] = [(a, int(mate[a])) for a in range(n) if mate[a] > a]
    left_out: list[int] = []
    for x in np.flatnonzero(mate < 0).tolist():
        target = _best_pair_to_join(pw, groups, x)
        if target is None:
            left_out.append(x)
        else:
            groups[target] = (*groups[target], x)
    return groups, left_out, []


def _first_candidates(
    table: MemberTable, everyone: IntArray, rng: np.random.Generator
) -> tuple[IntArray, IntArray]:
    hi, hj = candidate_pairs(table, everyone, rng)
    ki, kj = interest_key_pairs(table, everyone, rng)
    return np.concatenate([hi, ki]), np.concatenate([hj, kj])


def _augment(n: int, i: IntArray, j: IntArray, mate: IntArray) -> None:
    free = np.flatnonzero(mate < 0)
    if len(free) < 2:
        return
    ends = np.concatenate([i, j]).astype(np.int32)  # int32: half the memory at 100,000
    order = np.argsort(ends, kind="stable")
    heads = ends[order]
    tails = np.concatenate([j, i]).astype(np.int32)[order]
    del ends, order
    starts = np.searchsorted(heads, np.arange(n + 1))
    grown = maximum_matching(
        n, lambda v: tails[starts[v] : starts[v + 1]].tolist(), mate.tolist(), free.tolist()
    )
    mate[:] = grown


def _augment_on_all_unmet(
    pw: PairWeights, past: PairHistory, forbidden: tuple[IntArray, IntArray], mate: IntArray
) -> None:
    """Exact: grow the matching by augmenting paths over *every* unmet pair, not only
    the candidates, so nobody repeats while a repeat-free round exists (Berge: no
    augmenting path from anyone left means the matching is maximum). Neighbours are
    listed lazily; the search usually stops within a few of them."""
    n = len(mate)
    free = np.flatnonzero(mate < 0)
    if len(free) < 2:
        return
    blocked: list[set[int]] = [set() for _ in range(n)]
    mi, mj, _ = past.met_pairs()
    fi, fj = forbidden
    for a, b in zip(
        np.concatenate([mi, fi]).tolist(), np.concatenate([mj, fj]).tolist(), strict=True
    ):
        blocked[a].add(b)
        blocked[b].add(a)

    def unmet(v: int) -> Iterator[int]:
        return (u for u in range(n) if u != v and u not in blocked[v])

    mate[:] = maximum_matching(n, unmet, mate.tolist(), free.tolist())


def _pair_the_rest(pw: PairWeights, mate: IntArray) -> None:
    """Pair whoever has no unmet partner left: repeats, oldest first (dense, small)."""
    rest = np.flatnonzero(mate < 0)
    if len(rest) < 2:
        return
    rest = rest[:DENSE_REST]
    ri, rj = np.meshgrid(rest, rest, indexing="ij")
    sub = pw.weights(ri.ravel(), rj.ravel(), allow_repeats=True).reshape(len(rest), len(rest))
    np.fill_diagonal(sub, -np.inf)
    sub_mate = best_matching(sub)
    ok = sub_mate >= 0
    mate[rest[ok]] = rest[sub_mate[ok]]


def _best_pair_to_join(pw: PairWeights, groups: list[tuple[int, ...]], x: int) -> int | None:
    pairs = [k for k, g in enumerate(groups) if len(g) == 2]
    if not pairs:
        return None
    a = np.array([groups[k][0] for k in pairs], dtype=np.int64)
    b = np.array([groups[k][1] for k in pairs], dtype=np.int64)
    xs = np.full(len(a), x, dtype=np.int64)
    value = pw.weights(xs, a, allow_repeats=True) + pw.weights(xs, b, allow_repeats=True)
    # weights already credit a priority member once; twice makes them avoid the triple
    value -= 2 * PRIORITY_CREDIT * (pw.priority[a].astype(float) + pw.priority[b])
    best = int(np.argmax(value))
    return pairs[best] if np.isfinite(value[best]) else None
