"""Repeat-free rounds to the limit: choose each round from a 1-factorisation.

With fixed membership the graph of pairs who have not met yet is d-regular. Rounds can
go on without a repeat until it is empty only if, at every step, it splits into d
perfect matchings (a 1-factorisation); a round chosen greedily can break that and dead
-end early. So in *certified* mode a round is only ever taken as one class of a known
1-factorisation of the unmet graph, which leaves a 1-factorisation of the rest:

1. the best matching M* of the unmet graph is taken if the rest (unmet minus M*) can be
   factorised -- then the next round finds that very factorisation again;
2. otherwise the best class of a factorisation of the unmet graph is taken, after
   swapping halves of alternating cycles with the other classes while that raises its
   score (the union of two perfect matchings is a set of even cycles, and swapping the
   halves of one keeps both classes perfect matchings).

The engine keeps no state, so the factorisation of step 2 must be found again next
round. It is: :func:`~pairing.factorise.factorise` and :func:`improve` depend only on the
graph and the (seed-free) soft scores, so the next round can rebuild the previous
round's unmet graph by adding its pairs back (the latest groups in the history), redo
step 2, check that the class it took is the one in the history, and keep the others.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from pairing.tight_cuts import factorise_split

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
MAX_REPLAY = 2
IMPROVE_PASSES = 3
EPSILON = 1e-9


def class_score(scores: FloatArray, mate: IntArray) -> float:
    a = np.flatnonzero(mate > np.arange(len(mate)))
    return float(scores[a, mate[a]].sum())


def improve(classes: Sequence[IntArray], scores: FloatArray) -> list[IntArray]:
    """The factorisation with its best class first, raised by alternating-cycle swaps."""
    values = [class_score(scores, c) for c in classes]
    best = int(np.argmax(values))
    ordered = [classes[best].copy()] + [c.copy() for k, c in enumerate(classes) if k != best]
    n = len(ordered[0])
    for _ in range(IMPROVE_PASSES):
        changed = False
        for other in ordered[1:]:
            changed |= _swap_better_halves(ordered[0], other, scores, n)
        if not changed:
            break
    return ordered


def _swap_better_halves(top: IntArray, other: IntArray, scores: FloatArray, n: int) -> bool:
    seen = np.zeros(n, dtype=bool)
    top_list, other_list = top.tolist(), other.tolist()
    changed = False
    for start in range(n):
        if seen[start]:
            continue
        cycle = [start]
        seen[start] = True
        x = top_list[start]
        while x != start:
            cycle.append(x)
            seen[x] = True
            x = other_list[x] if len(cycle) % 2 == 0 else top_list[x]
        # cycle = v0 -top- v1 -other- v2 -top- v3 ... -other- v0
        idx = np.array(cycle)
        nxt = np.roll(idx, -1)
        edge_scores = scores[idx, nxt]
        if edge_scores[1::2].sum() > edge_scores[0::2].sum() + EPSILON:
            changed = True
            for k in range(0, len(cycle), 2):
                a, b, c = cycle[k], cycle[k + 1], cycle[(k + 2) % len(cycle)]
                top[b], top[c] = c, b
                other[a], other[b] = b, a
    return changed


def edges_of(mask: BoolArray) -> tuple[IntArray, IntArray]:
    i, j = np.nonzero(np.triu(mask, 1))
    return i.astype(np.int64), j.astype(np.int64)


def certificate(
    unmet: BoolArray,
    scores: FloatArray,
    recent: Sequence[IntArray],
    depth: int = 0,
    max_edges: int | None = None,
    odd_sets: Sequence[IntArray] = (),
) -> list[IntArray] | None:
    """A 1-factorisation of the regular graph ``unmet``, found afresh or by replay.

    ``recent`` holds the latest rounds as partner arrays, newest first. Replay stops
    where the earlier graph had more than ``max_edges`` edges: that round was not
    certified, so there is nothing to replay.
    """
    n = len(unmet)
    d = int(unmet[0].sum()) if n else 0
    i, j = edges_of(unmet)
    fresh = factorise_split(n, i, j, d, odd_sets)
    if fresh is not None or depth >= MAX_REPLAY or not recent:
        return fresh
    if max_edges is not None and n * (d + 1) // 2 > max_edges:
        return None
    last = recent[0]
    rows = np.arange(n)
    if (last < 0).any() or unmet[rows, last].any():
        return None
    before = unmet.copy()
    before[rows, last] = True
    previous = certificate(before, scores, recent[1:], depth + 1, max_edges, odd_sets)
    if previous is None:
        return None
    chosen = improve(previous, scores)
    if not np.array_equal(chosen[0], last):
        return None
    return chosen[1:]


def certified_round(
    unmet: BoolArray,
    scores: FloatArray,
    best: IntArray | None,
    recent: Sequence[IntArray],
    max_edges: int | None = None,
    odd_sets: Sequence[IntArray] = (),
) -> IntArray | None:
    """This round's matching in certified mode, or ``None`` if no certificate is found.

    ``best`` is the best matching found on ``unmet`` (partner array), if perfect.
    ``odd_sets`` (odd clusters) let factorisations split along tight cuts
    (:mod:`pairing.tight_cuts`).
    """
    n = len(unmet)
    if best is not None and (best >= 0).all():
        rest = unmet.copy()
        rest[np.arange(n), best] = False
        d = int(rest[0].sum())
        i, j = edges_of(rest)
        if factorise_split(n, i, j, d, odd_sets) is not None:
            return best
    classes = certificate(unmet, scores, recent, max_edges=max_edges, odd_sets=odd_sets)
    if classes is None:
        return None
    if not classes:
        return None
    return improve(classes, scores)[0]
