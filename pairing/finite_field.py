"""Small finite fields GF(p^e), as addition and multiplication tables.

The affine geometries in :mod:`pairing.schedules` need field arithmetic over GF(q) for
prime powers q such as 4, 8 and 9 (where arithmetic modulo q is not a field). Elements
are the integers ``0..q-1``, read as polynomials over GF(p) in base p (digit i is the
coefficient of x^i); the tables come from a primitive polynomial found by trying the
monic polynomials of degree e in order, so they are the same on every run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


def prime_power(q: int) -> tuple[int, int] | None:
    """``(p, e)`` with ``q == p**e`` for a prime p, or ``None``."""
    if q < 2:
        return None
    p = next(d for d in range(2, q + 1) if q % d == 0)
    e, rest = 0, q
    while rest % p == 0:
        rest //= p
        e += 1
    return (p, e) if rest == 1 else None


@dataclass(frozen=True, slots=True)
class GaloisField:
    """GF(q): ``add[a, b]``, ``mul[a, b]`` and ``neg[a]`` on the elements ``0..q-1``."""

    q: int
    add: IntArray
    mul: IntArray
    neg: IntArray

    @classmethod
    def of(cls, q: int) -> GaloisField:
        found = prime_power(q)
        if found is None:
            raise ValueError(f"{q} is not a prime power")
        p, e = found
        digits = np.array([[(a // p**i) % p for i in range(e)] for a in range(q)], np.int64)
        weights = p ** np.arange(e, dtype=np.int64)
        add = ((digits[:, None, :] + digits[None, :, :]) % p) @ weights
        power = _powers_of_x(p, e)  # power[i] = x^i as an element, i = 0..q-2
        log = np.zeros(q, np.int64)
        log[power] = np.arange(q - 1)
        mul = np.zeros((q, q), np.int64)
        nonzero = np.arange(1, q)
        mul[1:, 1:] = power[(log[nonzero][:, None] + log[nonzero][None, :]) % (q - 1)]
        neg = ((-digits) % p) @ weights
        return cls(q, add, mul, neg)


def _powers_of_x(p: int, e: int) -> IntArray:
    """Powers of x modulo the first primitive monic polynomial of degree e over GF(p)."""
    q = p**e
    if e == 1:
        root = next(g for g in range(1, p) if _order_mod(g, p) == p - 1) if p > 2 else 1
        return np.array([pow(root, i, p) for i in range(q - 1)], np.int64)
    for code in range(p**e):
        low = [(code // p**i) % p for i in range(e)]  # x^e = -(low terms)
        powers, value = [], [1] + [0] * (e - 1)
        for _ in range(q - 1):
            powers.append(sum(c * p**i for i, c in enumerate(value)))
            top = value[-1]
            value = [0, *value[:-1]]
            value = [(v - top * c) % p for v, c in zip(value, low, strict=True)]
        if 0 not in powers and len(set(powers)) == q - 1:
            return np.array(powers, np.int64)
    raise AssertionError("every finite field has a primitive polynomial")  # pragma: no cover


def _order_mod(g: int, p: int) -> int:
    k, value = 1, g % p
    while value != 1:
        value = value * g % p
        k += 1
    return k
