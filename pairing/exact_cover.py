"""A repeat-free round of groups as an exact cover, when local search falls short.

Late in a program the pairs who have not met form a sparse graph, and a repeat-free
round is a partition of the members into cliques of that graph with the round's group
sizes. Local search (:mod:`pairing.golfer`) finds one quickly while many exist, but
stalls one or two conflicts short when few do. Then this module lists the cliques of the
sizes needed (a few hundred to a few thousand once the graph is sparse) and solves the
exact cover of the members by them with Knuth's Algorithm X: branch on the member with
the fewest candidate cliques, try its cliques best score first, undo on failure. Each
group size may be used only as often as the round has groups of that size, which makes
the sizes come out exactly. The search stops after ``node_limit`` branches, so it costs
bounded time when no repeat-free round exists; the same input and seed give the same
answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
MAX_CLIQUES = 60_000


def cliques(
    adjacent: BoolArray, sizes: Sequence[int], limit: int = MAX_CLIQUES
) -> list[tuple[int, ...]] | None:
    """All cliques of the given sizes (``None`` if there are more than ``limit``)."""
    n = len(adjacent)
    wanted = set(sizes)
    top = max(wanted)
    later = [
        sum(1 << int(w) for w in np.flatnonzero(adjacent[v, v + 1 :]) + v + 1) for v in range(n)
    ]
    found: list[tuple[int, ...]] = []
    stack: list[tuple[tuple[int, ...], int]] = [((v,), later[v]) for v in range(n - 1, -1, -1)]
    while stack:
        clique, candidates = stack.pop()
        if len(clique) in wanted:
            found.append(clique)
            if len(found) > limit:
                return None
        if len(clique) == top:
            continue
        while candidates:
            low = candidates & -candidates
            w = low.bit_length() - 1
            candidates ^= low
            stack.append(((*clique, w), candidates & later[w]))
    return found


def exact_cover(
    n: int,
    rows: list[tuple[int, ...]],
    sizes: Sequence[int],
    value: FloatArray,
    node_limit: int,
) -> list[tuple[int, ...]] | None:
    """Groups covering members ``0..n-1`` once each, with exactly the multiset ``sizes``.

    ``rows`` are the allowed groups and ``value[r]`` orders the tries (highest first).
    Returns ``None`` if no cover is found within ``node_limit`` branches.
    """
    order = np.argsort(-value, kind="stable")
    ranked = [rows[r] for r in order.tolist()]
    columns: dict[int, list[int]] = {v: [] for v in range(n)}
    for r, row in enumerate(ranked):
        for v in row:
            columns[v].append(r)
    alive = np.ones(len(ranked), dtype=bool)
    counts = {v: len(columns[v]) for v in range(n)}
    left = Counter(sizes)
    chosen: list[int] = []
    nodes = 0

    def drop(r: int, removed: list[int]) -> None:
        alive[r] = False
        removed.append(r)
        for v in ranked[r]:
            counts[v] -= 1

    def search() -> bool:
        nonlocal nodes
        if not counts:
            return True
        v = min(counts, key=counts.__getitem__)
        for r in columns[v]:
            if not alive[r] or left[len(ranked[r])] == 0:
                continue
            nodes += 1
            if nodes > node_limit:
                return False
            removed: list[int] = []
            covered = ranked[r]
            for u in covered:
                for other in columns[u]:
                    if alive[other]:
                        drop(other, removed)
            saved = {u: counts.pop(u) for u in covered}
            left[len(covered)] -= 1
            chosen.append(r)
            if search():
                return True
            chosen.pop()
            left[len(covered)] += 1
            counts.update(saved)
            for other in removed:
                alive[other] = True
                for u in ranked[other]:
                    if u in counts:
                        counts[u] += 1
            if nodes > node_limit:
                return False
        return False

    if not search():
        return None
    return [ranked[r] for r in chosen]
