"""Fast membership of integer keys: a hashed byte filter in front of a binary search.

Pair lookups (who met, who may not meet) run on hundreds of thousands of candidate
pairs per call at N = 10,000, against a few tens of thousands of stored keys. A binary
search per query (``np.searchsorted``) makes about 15 scattered reads each; most
queries are misses, so a filter of about 64 bytes per stored key, indexed by a
multiplicative hash, answers almost all of them with one read and leaves the binary
search to the few that may be present (about 1.5% false positives, then checked).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: 2^64 / golden ratio
MIN_BITS, MAX_BITS = 10, 26
BYTES_PER_KEY = 64


class KeySet:
    """The sorted, distinct ``keys`` (non-negative int64), for ``find``."""

    __slots__ = ("_filter", "_shift", "keys")

    def __init__(self, keys: IntArray) -> None:
        self.keys = keys
        bits = int(np.clip(np.ceil(np.log2(max(len(keys), 1) * BYTES_PER_KEY)), MIN_BITS, MAX_BITS))
        self._shift = np.uint64(64 - bits)
        self._filter = np.zeros(1 << bits, dtype=bool)
        self._filter[self._slots(keys)] = True

    def _slots(self, keys: IntArray) -> npt.NDArray[np.intp]:
        hashed = keys.astype(np.uint64) * GOLDEN  # wraps modulo 2^64, as intended
        return (hashed >> self._shift).astype(np.intp)

    def find(self, queries: IntArray) -> tuple[BoolArray, npt.NDArray[np.intp]]:
        """For each query (any shape): whether it is a key, and its position in ``keys``
        (0 where it is not)."""
        flat = np.ravel(queries)
        found = np.zeros(flat.shape, dtype=bool)
        where = np.zeros(flat.shape, dtype=np.intp)
        if len(self.keys):
            maybe = np.flatnonzero(self._filter[self._slots(flat)])
            candidates = flat[maybe]
            pos = np.minimum(np.searchsorted(self.keys, candidates), len(self.keys) - 1)
            hit = self.keys[pos] == candidates
            found[maybe[hit]] = True
            where[maybe[hit]] = pos[hit]
        return found.reshape(np.shape(queries)), where.reshape(np.shape(queries))
