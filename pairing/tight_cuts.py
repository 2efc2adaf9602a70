"""1-factorisations across tight cuts: split the graph, factorise the halves, glue.

Every perfect matching has an odd number of edges leaving an odd set S, so in a
d-regular graph with exactly d edges leaving S (a *tight* cut, which the odd-cluster
guard leaves behind late in a program) each of the d classes of a factorisation uses
exactly one of them. The randomised Kempe search (:mod:`pairing.factorise`) struggles
with that rigid structure, but it can be taken apart (the tight cut decomposition of
matching theory):

1. shrink the outside of S to one vertex ``t``: S + t is d-regular (``t`` keeps the d
   cut edges, parallel where a member has several);
2. shrink S to one vertex ``s``: the outside + s is d-regular too;
3. factorise both; each colours the d cut edges with d different colours, so renaming
   the colours of the second to agree with the first on the cut edges glues the two
   into a factorisation of the whole graph.

Sets are tried in the order given; the halves are split again by the sets inside them.
The result depends only on the graph and the sets, as the certificate replay requires.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from pairing.factorise import factorise

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def factorise_split(
    n: int, i: IntArray, j: IntArray, d: int, odd_sets: Sequence[IntArray] = ()
) -> list[IntArray] | None:
    """:func:`~pairing.factorise.factorise`, split along tight cuts of ``odd_sets``."""
    for number, members in enumerate(odd_sets):
        inside = np.zeros(n, dtype=bool)
        inside[members] = True
        size = int(inside.sum())
        crossing = inside[i] != inside[j]
        if size % 2 == 0 or size in (0, n) or int(crossing.sum()) != d or d < 2:
            continue
        rest = list(odd_sets[number + 1 :])
        return _split(n, i, j, d, inside, rest)
    return factorise(n, i, j, d)


def _split(
    n: int, i: IntArray, j: IntArray, d: int, inside: BoolArray, sets: list[IntArray]
) -> list[IntArray] | None:
    crossing = inside[i] != inside[j]
    a = np.where(inside[i[crossing]], i[crossing], j[crossing])  # cut edges: inner end a
    b = np.where(inside[i[crossing]], j[crossing], i[crossing])  # and outer end b
    halves = []
    for side, ends in ((inside, a), (~inside, b)):
        who = np.flatnonzero(side)
        local = np.full(n, -1, dtype=np.int64)
        local[who] = np.arange(len(who))
        shrunk = len(who)  # the other side, as one vertex
        keep = side[i] & side[j]
        li = np.concatenate([local[i[keep]], local[ends]])
        lj = np.concatenate([local[j[keep]], np.full(len(ends), shrunk)])
        inner = [local[s] for s in sets if side[s].all()]
        classes = factorise_split(len(who) + 1, li, lj, d, inner)
        if classes is None:
            return None
        halves.append((who, classes, _cut_colours(classes, local[ends], shrunk)))
    (who_in, inner_classes, colour_in), (who_out, outer_classes, colour_out) = halves
    rename = np.empty(d, dtype=np.int64)
    rename[colour_out] = colour_in  # outer colour -> inner colour, agreeing on cut edges
    result = [np.full(n, -1, dtype=np.int64) for _ in range(d)]
    for c in range(d):
        mate = result[c]
        inner_c = inner_classes[c][: len(who_in)]
        matched = inner_c < len(who_in)
        mate[who_in[matched]] = who_in[inner_c[matched]]
        outer_c = outer_classes[int(np.flatnonzero(rename == c)[0])][: len(who_out)]
        matched = outer_c < len(who_out)
        mate[who_out[matched]] = who_out[outer_c[matched]]
        edge = int(np.flatnonzero(colour_in == c)[0])
        mate[a[edge]], mate[b[edge]] = b[edge], a[edge]
    return result


def _cut_colours(classes: list[IntArray], ends: IntArray, shrunk: int) -> IntArray:
    """Colour of each cut edge (given by its end on this side), in the input order.

    A member with several cut edges has as many parallel edges to the shrunk vertex;
    they are told apart by order: the k-th such edge takes the k-th colour (ascending)
    in which the member is matched to the shrunk vertex.
    """
    colours = np.arange(len(classes), dtype=np.int64)
    partner_of_shrunk = np.array([int(cls[shrunk]) for cls in classes], dtype=np.int64)
    result = np.empty(len(ends), dtype=np.int64)
    for member in np.unique(ends).tolist():
        edges = np.flatnonzero(ends == member)
        result[edges] = colours[partner_of_shrunk == member][: len(edges)]
    return result
