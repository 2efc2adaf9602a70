"""Pairs for an odd number of people: N - 4 repeat-free rounds of pairs and one trio.

Each round of pairs with one trio uses (N + 3) / 2 pairs, so there are at most
floor(N (N - 1) / (N + 3)) repeat-free rounds, which is N - 4 for N >= 11. Rounds chosen
one at a time fall short of that (the early rounds use up the triangles of unmet pairs
that later trios need). This cyclic schedule reaches it:

- points: four fixed points ``0..3`` and Z_m with m = N - 4 (point ``4 + x``);
- the base round: a trio ``{1, 3, -3}`` (differences 2, 4 and 6), the pairs
  ``{x, -x}`` of the other differences (``{x, -x}`` has difference 2x, and x = 1..(m-1)/2
  gives every difference once up to sign), and the four points ``0, -1, 2, -2`` that
  the trio freed, each paired with a fixed point;
- round t is the base round shifted by t in Z_m (fixed points stay).

Every difference of Z_m occurs once in the base round, so any two points of Z_m meet in
exactly one round, each fixed point meets every point of Z_m once, and only the six
pairs of fixed points never meet: (N - 4) (N + 3) / 2 = N (N - 1) / 2 - 6 pairs in all.
For m = 7 and 9 (N = 11, 13) the trio is found by trying all.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FIXED = 4
MIN_MEMBERS = 11


def _difference(a: int, b: int, m: int) -> int:
    d = (b - a) % m
    return min(d, m - d)


def _trio(m: int) -> tuple[int, int, int] | None:
    """A trio whose three differences are distinct and whose points are all among the
    six points that the patterned pairs ``{d/2, -d/2}`` of those differences free."""
    half = pow(2, -1, m)
    tries = [(1, 3, m - 3)] if m >= 11 else list(combinations(range(1, m), 3))
    for u, v, w in tries:
        differences = {_difference(u, v, m), _difference(v, w, m), _difference(u, w, m)}
        freed = {d * half % m for d in differences} | {-d * half % m for d in differences}
        if len(differences) == 3 and {u, v, w} <= freed:
            return u, v, w
    return None


def odd_pairs(n: int) -> IntArray | None:
    """The schedule (rounds x points: group index) for odd ``n >= 11``, else ``None``."""
    if n % 2 == 0 or n < MIN_MEMBERS:
        return None
    m = n - FIXED
    trio = _trio(m)
    if trio is None:  # pragma: no cover - every odd m >= 7 has one
        return None
    differences = {_difference(a, b, m) for a, b in combinations(trio, 2)}
    base = np.full(n, -1, np.int64)
    base[[FIXED + x for x in trio]] = 0
    group = 1
    for x in range(1, (m + 1) // 2):
        if _difference(x, m - x, m) in differences:
            continue
        base[[FIXED + x, FIXED + m - x]] = group
        group += 1
    single = [p for p in range(FIXED, n) if base[p] < 0]
    for fixed, p in enumerate(single):
        base[[fixed, p]] = group + fixed
    points = np.arange(n)
    shifted = points - FIXED
    rounds = [base[np.where(points < FIXED, points, FIXED + (shifted - t) % m)] for t in range(m)]
    return np.array(rounds, np.int64)
