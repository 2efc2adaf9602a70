"""Exact decision: is there a round of pairs in which nobody meets anyone again?

The round planners maximise a score on which repeats cost a great deal, but they are
heuristics. Before a round with a repeat is accepted, this module decides exactly
whether a repeat-free round exists, on the graph of pairs allowed to meet and not met
yet (the *unmet* graph), and returns one if so:

- an even number of people: a perfect matching of the unmet graph. Edmonds' augmenting
  paths (:mod:`pairing.blossom`) from everyone the round leaves without an unmet
  partner; by Berge's theorem the matching is maximum when no such path exists.
- an odd number: one unmet triangle (the trio) and a perfect matching of everyone
  else. Every triangle is tried: the maximum matching is taken without the triangle's
  three people and grown again from those it left without a partner. A late, sparse
  unmet graph has few triangles; ``max_triangles`` bounds the work on a dense one
  (where a repeat-free round is easy to find and the heuristic rarely misses it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pairing.blossom import maximum_matching

Neighbours = Callable[[int], Sequence[int]]
MAX_TRIANGLES = 20_000


def perfect_matching(n: int, neighbours: Neighbours, mate: Sequence[int]) -> list[int] | None:
    """A perfect matching of the unmet graph grown from ``mate`` (pairs on unmet
    edges, -1 elsewhere), or ``None`` if there is none."""
    grown = maximum_matching(n, neighbours, mate)
    return grown if all(m >= 0 for m in grown) else None


def trio_and_matching(
    n: int,
    neighbours: Neighbours,
    mate: Sequence[int],
    max_triangles: int = MAX_TRIANGLES,
) -> tuple[tuple[int, int, int], list[int]] | None:
    """An unmet triangle and a perfect matching of the others (odd ``n``), or ``None``
    if none exists (or none was found among the first ``max_triangles``)."""
    matching = maximum_matching(n, neighbours, mate)
    adjacent = [set(neighbours(v)) for v in range(n)]
    tried = 0
    for a in range(n):
        for b in sorted(u for u in adjacent[a] if u > a):
            for c in sorted(w for w in adjacent[a] & adjacent[b] if w > b):
                tried += 1
                if tried > max_triangles:
                    return None
                rest = _without(n, neighbours, matching, (a, b, c))
                if rest is not None:
                    return (a, b, c), rest
    return None


def _without(
    n: int, neighbours: Neighbours, matching: Sequence[int], trio: tuple[int, int, int]
) -> list[int] | None:
    """A perfect matching of everyone but ``trio``, grown from ``matching``."""
    gone = set(trio)
    mate = list(matching)
    for x in trio:
        if mate[x] >= 0:
            mate[mate[x]] = -1
        mate[x] = -2  # not to be matched
    roots = [v for v in range(n) if mate[v] == -1]

    def inside(v: int) -> list[int]:
        return [u for u in neighbours(v) if u not in gone]

    grown = maximum_matching(n, inside, [max(m, -1) for m in mate], roots)
    for x in trio:
        grown[x] = -1
    return grown if all(grown[v] >= 0 for v in range(n) if v not in gone) else None
