"""32 in fours for 10 rounds (Aguado's number): each person meets 30 of the other 31.

The 10 rounds are a resolvable design on 16 "pairs of twins", lifted to 32 people:

- points are ``2x + e`` for x in GF(2)^4 and a bit e; twins ``2x`` and ``2x + 1`` (the
  same x) never meet;
- two disjoint spreads of PG(3, 2) give 10 planes W_r of GF(2)^4 through 0 (4 points
  each) such that every nonzero vector lies in exactly two of them. Round r splits
  GF(2)^4 into the 4 cosets of W_r, so any two x != y share a coset in exactly the two
  rounds whose W_r hold ``x ^ y``;
- each coset C of round r gives two blocks, ``{(x, f_r(x))}`` and ``{(x, f_r(x) + 1)}``
  for x in C, with bits f_r(x). Of the four people of x and y, round r puts together
  the pairs whose bits differ by ``f_r(x) + f_r(y)``; the two rounds must differ there:
  ``f_r(x) + f_r(y) + f_s(x) + f_s(y) = 1``, 120 linear equations over GF(2) in 160
  unknowns, solved by elimination (the bits cannot come from one linear map: that
  would be 10 disjoint lines of PG(4, 2), and 9 is the most there are). Each of the
  840 pairs of disjoint spreads (of the 56 spreads) has a solution; the first is taken.

Then every two people who are not twins meet exactly once: 480 pairs in 10 rounds.
"""

from __future__ import annotations

from functools import cache
from itertools import combinations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
MEMBERS = 32
Line = frozenset[int]
LINES: list[Line] = sorted(
    {frozenset({a, b, a ^ b}) for a in range(1, 16) for b in range(1, 16) if a != b},
    key=sorted,
)


def _spreads(lines: list[Line], covered: frozenset[int] = frozenset()) -> list[list[Line]]:
    """Every set of disjoint lines covering the 15 points (the one holding the smallest
    uncovered point is chosen first, so each spread comes once)."""
    if len(covered) == 15:
        return [[]]
    point = min(set(range(1, 16)) - covered)
    found = []
    for line in lines:
        if point in line and not line & covered:
            found += [[line, *rest] for rest in _spreads(lines, covered | line)]
    return found


def _bits(planes: list[Line]) -> list[list[int]] | None:
    """f_r(x) solving the equations above (free unknowns 0), or ``None``."""
    pivots: dict[int, tuple[int, int]] = {}
    for x, y in combinations(range(16), 2):
        r, s = (i for i, plane in enumerate(planes) if x ^ y in plane)
        row, value = 0, 1
        for i in (16 * r + x, 16 * r + y, 16 * s + x, 16 * s + y):
            row ^= 1 << i
        while row:
            top = row.bit_length() - 1
            if top not in pivots:
                pivots[top] = (row, value)
                break
            row, value = row ^ pivots[top][0], value ^ pivots[top][1]
        if not row and value:
            return None
    solution = 0
    for top in sorted(pivots):  # each pivot row's other unknowns are below its pivot
        row, value = pivots[top]
        if value ^ ((row & solution).bit_count() & 1):
            solution |= 1 << top
    return [[(solution >> (16 * r + x)) & 1 for x in range(16)] for r in range(len(planes))]


def twins(n: int, k: int) -> IntArray | None:
    """The 10 rounds (rounds x points: group index) for 32 people in fours, else ``None``."""
    return _twins().copy() if (n, k) == (MEMBERS, 4) else None


@cache
def _twins() -> IntArray:
    spreads = _spreads(LINES)
    for first, second in combinations(spreads, 2):
        if set(first) & set(second):
            continue
        planes = first + second
        bits = _bits(planes)
        if bits is not None:
            break
    else:  # pragma: no cover - every disjoint pair works
        raise AssertionError("no lift found")
    rounds = np.empty((len(planes), MEMBERS), np.int64)
    for r, plane in enumerate(planes):
        cosets = sorted({min(x, *(x ^ w for w in plane)) for x in range(16)})
        for c, start in enumerate(cosets):
            for x in (start, *(start ^ w for w in plane)):
                rounds[r, 2 * x + bits[r][x]] = 2 * c
                rounds[r, 2 * x + 1 - bits[r][x]] = 2 * c + 1
    return rounds
