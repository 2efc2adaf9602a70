"""Kirkman triple systems of order 2q + 1, q = 6t + 1 a prime power (Ray-Chaudhuri and
Wilson): every pair meets exactly once, in q rounds of threes (99 = 2 * 49 + 1: 49).

Points are ``inf`` (0) and ``(x, 1)``, ``(x, 2)`` for x in GF(q) (``1 + x`` and
``1 + q + x``); round s is the base class moved by ``x -> x + s``. With w a primitive
element, e = w^(2t) a cube root of unity and u = (1 + e) / (e - 1), the base class is

- ``{inf, (0, 1), (0, 2)}``;
- ``{(w^i, 1), (e w^i, 1), (e^2 w^i, 1)}`` for i < t: the differences of level 1 are
  ``w^i (e - 1)`` times the sixth roots of unity, every nonzero element once;
- ``{(x, 1), (u x, 2), (-u x, 2)}`` for x = e^j w^(t + i), i < t, j < 3: level 2 meets
  its differences ``2 u x`` (up to sign) once each, and the mixed differences
  ``(u - 1) x`` and ``-(u + 1) x = (u - 1) x * (-e)`` run over complementary halves of
  the cosets of the cube roots, so every pair orbit under GF(q) is hit exactly once.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from pairing.finite_field import GaloisField, prime_power

IntArray = npt.NDArray[np.int64]


def _primitive_powers(field: GaloisField) -> list[int]:
    """``w^0, w^1, ..., w^(q-2)`` for the smallest element w of order q - 1."""
    q = field.q
    for w in range(2, q):
        powers = [1]
        while len(powers) < q - 1 and (nxt := int(field.mul[powers[-1], w])) != 1:
            powers.append(nxt)
        if len(powers) == q - 1:
            return powers
    return [1]  # q = 2: never asked for


def base_class(q: int) -> list[tuple[int, int, int]]:
    """The base class of KTS(2q + 1), ``q = 6t + 1`` a prime power (see above)."""
    field = GaloisField.of(q)
    t = (q - 1) // 6
    power = _primitive_powers(field)
    e = power[2 * t]
    minus_one = int(field.neg[1])
    inverse = int(np.flatnonzero(field.mul[field.add[e, minus_one]] == 1)[0])
    u = int(field.mul[field.add[1, e], inverse])
    blocks = [(0, 1, 1 + q)]
    for i in range(t):
        a, b, c = (power[i + 2 * t * j] for j in range(3))
        blocks.append((1 + a, 1 + b, 1 + c))
        for j in range(3):
            x = power[t + i + 2 * t * j]
            ux = int(field.mul[u, x])
            blocks.append((1 + x, 1 + q + ux, 1 + q + int(field.neg[ux])))
    return blocks


def kirkman(n: int) -> IntArray | None:
    """The schedule (rounds x points: group index) of KTS(n) for ``n = 2q + 1``, q a
    prime power with ``q % 6 == 1``, else ``None``."""
    q = (n - 1) // 2
    if n % 2 == 0 or q % 6 != 1 or prime_power(q) is None:
        return None
    field = GaloisField.of(q)
    label = np.empty(n, np.int64)
    for g, block in enumerate(base_class(q)):
        label[list(block)] = g
    points = np.arange(1, n)
    level, x = np.divmod(points - 1, q)
    rounds = np.empty((q, n), np.int64)
    rounds[:, 0] = 0  # inf is in the first block of every round
    for s in range(q):
        rounds[s, 1:] = label[1 + level * q + field.add[x, field.neg[s]]]  # where p - s was
    return rounds
