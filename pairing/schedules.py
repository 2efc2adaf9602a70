"""Schedules of repeat-free rounds that mathematics constructs outright.

A schedule is an integer array ``(rounds, n)``: entry ``[r, p]`` is the group of point
``p`` in round ``r``. No two points share a group in more than one round, and every
round's group sizes follow :func:`pairing.group_sizes.group_sizes`. Which person plays
which point, and which round comes first, is decided elsewhere
(:mod:`pairing.design_plan`); here only the structure is built:

- *affine geometry* AG(d, q), q a prime power: the lines, one round per direction;
  (q^d - 1) / (q - 1) rounds of groups of q (9 in threes: 4, 27: 13, 16 in fours: 5);
- *transversal design* across k parts of m: member x of part i meets, in round a, the
  members ``x + a (e_j - e_i)`` of the other parts, over GF(m) or, when the smallest
  prime factor of m is at least k, modulo m; m rounds, one more inside the parts if
  k divides m (20 in fours: 5; 32 in fours: 9);
- *net* of order m (N = m^2 in groups of m, m not a prime power): rows, columns and
  the Latin squares ``i + a j mod m`` that are mutually orthogonal (36 in sixes: 3);
- *Kirkman triple systems* of 2q + 1, q = 1 (mod 6) a prime power
  (:mod:`pairing.kirkman`): every pair once, in q rounds (15: 7, 27: 13, 99: 49);
- *developed base classes* (:mod:`pairing.design_tables`): a few rounds whose
  translates under Z_m cover every pair orbit once: the Kirkman triple system of 21
  (10 rounds), 100 in threes (47) and the resolvable design of 100 in fours (33);
- *twins* (:mod:`pairing.lifted`): 32 in fours, 10 rounds (Aguado's number), lifted
  from a design on 16 points in which every pair meets twice;
- *odd pairs* (:mod:`pairing.odd_design`): N - 4 rounds of pairs and one trio.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from pairing.design_tables import Developed, developed_design
from pairing.finite_field import GaloisField, prime_power
from pairing.group_sizes import group_sizes
from pairing.kirkman import kirkman
from pairing.lifted import twins

IntArray = npt.NDArray[np.int64]
MAX_POINTS = 2000


def smallest_prime_factor(m: int) -> int:
    p = 2
    while p * p <= m:
        if m % p == 0:
            return p
        p += 1
    return m


def _dense_labels(rows: IntArray) -> IntArray:
    """Renumber each round's group labels to 0, 1, ... (in order of first member)."""
    result = np.empty_like(rows)
    for r, row in enumerate(rows):
        _, first, inverse = np.unique(row, return_index=True, return_inverse=True)
        rank = np.argsort(np.argsort(first))
        result[r] = rank[inverse]
    return result


def affine(q: int, dim: int) -> IntArray:
    """Lines of AG(dim, q), one round per direction (a point of PG(dim - 1, q))."""
    field = GaloisField.of(q)
    n = q**dim
    coords = np.array([[(x // q**i) % q for i in range(dim)] for x in range(n)], np.int64)
    weights = q ** np.arange(dim, dtype=np.int64)
    rounds = []
    for d in range(1, n):
        direction = coords[d]
        lead = int(np.flatnonzero(direction)[0])
        if direction[lead] != 1:
            continue  # one representative per direction: leading coordinate 1
        t = coords[:, lead]  # move each point along the line to coordinate lead = 0
        shift = field.mul[t[:, None], direction[None, :]]
        start = field.add[coords, field.neg[shift]]
        rounds.append(start @ weights)
    return _dense_labels(np.array(rounds, np.int64))


def transversal(k: int, m: int) -> IntArray | None:
    """Rounds across k parts of m (point ``i * m + x``), and one inside the parts if k
    divides m (the parts themselves if m == k)."""
    if prime_power(m) is not None and m >= k:
        field = GaloisField.of(m)
        rounds = []
        for a in range(m):
            label = np.concatenate(
                [field.add[np.arange(m), field.neg[field.mul[a, i]]] for i in range(k)]
            )
            rounds.append(label)
    elif smallest_prime_factor(m) >= k:
        x = np.arange(m)
        rounds = [np.concatenate([(x - a * i) % m for i in range(k)]) for a in range(m)]
    else:
        return None
    if m % k == 0:  # one more: each part split into groups of k (their pairs are unmet)
        x = np.tile(np.arange(m), k)
        rounds.append(np.repeat(np.arange(k), m) * (m // k) + x // k)
    return _dense_labels(np.array(rounds, np.int64))


def net(m: int) -> IntArray:
    """Rows, columns and ``spf(m) - 1`` orthogonal Latin squares of an m x m grid."""
    i, j = np.divmod(np.arange(m * m), m)
    rounds = [i, j] + [(i + a * j) % m for a in range(1, smallest_prime_factor(m))]
    return _dense_labels(np.array(rounds, np.int64))


def developed(design: Developed) -> IntArray:
    """The translates under Z_m of each base class (fixed points stay where they are)."""
    f, m = design.fixed, design.modulus
    n = f + m * design.levels
    points = np.arange(n)
    level, x = np.divmod(points - f, m)
    rounds = []
    for base in design.classes:
        label = np.empty(n, np.int64)
        for g, block in enumerate(base):
            label[list(block)] = g
        for t in range(m):
            moved = np.where(points < f, points, f + level * m + (x - t) % m)
            rounds.append(label[moved])  # point p is where p - t was in the base class
    return _dense_labels(np.array(rounds, np.int64))


def candidates(n: int, k: int) -> list[IntArray]:
    """Every construction for n members in groups of k that this module knows."""
    found: list[IntArray] = []
    if k < 3 or n > MAX_POINTS:
        return found
    if prime_power(k) is not None:
        dim, size = 1, k
        while size < n:
            dim, size = dim + 1, size * k
        if size == n and dim >= 2:
            found.append(affine(k, dim))
    if n % k == 0 and n // k >= k:
        across = transversal(k, n // k)
        if across is not None:
            found.append(across)
    if n == k * k and prime_power(k) is None:
        found.append(net(k))
    design = developed_design(n, k)
    if design is not None:
        found.append(developed(design))
    for construction in (kirkman(n) if k == 3 else None, twins(n, k)):
        if construction is not None:
            found.append(construction)
    return found


def best(n: int, k: int) -> IntArray | None:
    """The construction with the most rounds for n in groups of k, if there is one."""
    found = candidates(n, k)
    return max(found, key=len) if found else None


def round_pairs(schedule: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Every pair that meets in the schedule: (round, point, point), point < point."""
    n = schedule.shape[1]
    found: list[tuple[IntArray, IntArray, IntArray]] = []
    for r, row in enumerate(schedule):
        order = np.argsort(row, kind="stable")
        counts = np.bincount(row)
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        slot = np.arange(n) - starts[row[order]]
        padded = np.full((len(counts), int(counts.max())), -1, np.int64)
        padded[row[order], slot] = order
        for a in range(padded.shape[1]):
            for b in range(a + 1, padded.shape[1]):
                ok = padded[:, b] >= 0
                i, j = padded[ok, a], padded[ok, b]
                found.append((np.full(len(i), r, np.int64), np.minimum(i, j), np.maximum(i, j)))
    r_idx, i, j = (np.concatenate(parts) for parts in zip(*found, strict=True))
    return r_idx, i, j


def follows_rule(schedule: IntArray, k: int) -> bool:
    """Every round's sizes are :func:`group_sizes` and no pair meets twice."""
    n = schedule.shape[1]
    want = sorted(group_sizes(n, k))
    met = np.zeros((n, n), np.int64)
    for row in schedule:
        if sorted(np.bincount(row).tolist()) != want:
            return False
        met += row[:, None] == row[None, :]
    np.fill_diagonal(met, 0)
    return bool((met <= 1).all())
