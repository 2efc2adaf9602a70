"""Candidate pairs and pair weights for the sparse (large-N) coffee round.

Good partners share working hours and interests, so candidates are neighbours in a few
sorted orders: by UTC start of the working day (with a little noise, so different
neighbours come up each round), by one of each person's interests, and along random
permutations (which also reach people no bucket would suggest).

:func:`interest_key_pairs` adds the partners a greedy on everyone's best would find:
each person is listed under every set of one to three of their interests, so people
who share three interests (the most the score counts) meet in one list, sorted by
working hours; rare good partners are found wherever they are in the company.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import numpy.typing as npt

from pairing.dense_context import AGE_CREDIT, JITTER, MAX_AGE, PRIORITY_CREDIT, REPEAT_PENALTY
from pairing.history import PairHistory
from pairing.keyset import KeySet
from pairing.options import Weights
from pairing.table import MemberTable, coffee_score_block, coffee_scores

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
HOURS_NEIGHBOURS = 4
INTEREST_NEIGHBOURS = 6
INTEREST_ORDERS = 2
RANDOM_ORDERS = 3
KEY_INTERESTS = 4  # interests per person used for keys (chosen at random beyond that)
KEY_NEIGHBOURS = 6
CHUNK = 1 << 19
HASH = np.uint64(0x9E3779B97F4A7C15)


def _neighbours_in_order(
    order: IntArray, group: IntArray | None, k: int
) -> tuple[IntArray, IntArray]:
    """Pairs of positions up to ``k`` apart in ``order`` (within the same ``group``)."""
    heads, tails = [], []
    for step in range(1, k + 1):
        a, b = order[:-step], order[step:]
        if group is not None:
            same = group[:-step] == group[step:]
            a, b = a[same], b[same]
        heads.append(a)
        tails.append(b)
    return np.concatenate(heads), np.concatenate(tails)


def _one_interest(table: MemberTable, who: IntArray, rng: np.random.Generator) -> IntArray:
    bits = np.unpackbits(table.interests[who].view(np.uint8), axis=1, bitorder="little")
    noise = rng.random(bits.shape) * bits
    return np.where(bits.any(axis=1), np.argmax(noise, axis=1), -1).astype(np.int64)


def candidate_pairs(
    table: MemberTable, who: IntArray, rng: np.random.Generator, *, wide: bool = False
) -> tuple[IntArray, IntArray]:
    """Candidate pairs among the members ``who`` (indices into ``table``)."""
    m = len(who)
    if m < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    spread = 2 if wide else 1
    heads, tails = [], []
    start = table.start[who].astype(np.float64)
    for _ in range(2):
        order = np.argsort(start + rng.random(m) * 90)
        a, b = _neighbours_in_order(order, None, HOURS_NEIGHBOURS * spread)
        heads.append(a)
        tails.append(b)
    for _ in range(INTEREST_ORDERS):
        interest = _one_interest(table, who, rng)
        order = np.lexsort((rng.random(m), table.window[who], interest))
        a, b = _neighbours_in_order(order, interest[order], INTEREST_NEIGHBOURS)
        heads.append(a)
        tails.append(b)
    for _ in range(RANDOM_ORDERS * spread):
        order = rng.permutation(m)
        heads.append(order[:-1])
        tails.append(order[1:])
    i, j = who[np.concatenate(heads)], who[np.concatenate(tails)]
    return i, j


def interest_key_pairs(
    table: MemberTable, who: IntArray, rng: np.random.Generator, k: int = KEY_NEIGHBOURS
) -> tuple[IntArray, IntArray]:
    """Pairs up to ``k`` apart among the people listed under one set of interests."""
    bits = np.unpackbits(table.interests[who].view(np.uint8), axis=1, bitorder="little")
    if bits.shape[1] == 0 or len(who) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    noise = rng.random(bits.shape) + bits  # own interests first, at random among them
    top = np.sort(np.argsort(-noise, axis=1)[:, :KEY_INTERESTS], axis=1).astype(np.int64)
    valid = np.take_along_axis(bits, top, axis=1).astype(bool)
    base = np.int64(bits.shape[1] + 1)
    owners, keys = [], []
    for size in (1, 2, 3):
        for columns in combinations(range(top.shape[1]), size):  # none if too few
            cols = list(columns)
            ok = valid[:, cols].all(axis=1)
            code = np.zeros(int(ok.sum()), np.int64)
            for c in cols:
                code = code * base + top[ok, c] + 1
            owners.append(np.flatnonzero(ok))
            keys.append(code)
    owner, key = np.concatenate(owners), np.concatenate(keys)
    start = table.start[who[owner]] + rng.random(len(owner)) * 90
    order = np.lexsort((start, key))
    a, b = _neighbours_in_order(owner[order], key[order], k)
    return who[a], who[b]


def _chunks(length: int) -> list[slice]:
    return [slice(k, k + CHUNK) for k in range(0, length, CHUNK)]


class PairWeights:
    """Effective weights of arbitrary pairs, as in :mod:`pairing.dense_context`."""

    def __init__(
        self,
        table: MemberTable,
        past: PairHistory,
        forbidden: tuple[IntArray, IntArray],
        weights: Weights,
        priority: BoolArray,
        rng: np.random.Generator,
    ) -> None:
        self.table, self.past, self.w, self.priority = table, past, weights, priority
        self.n = len(table.ids)
        fi, fj = forbidden
        self.forbidden = KeySet(np.unique(np.minimum(fi, fj) * self.n + np.maximum(fi, fj)))
        self.salt = np.uint64(int(rng.integers(1, 2**62)))
        self._partners = _Partners(self.n, past, self.forbidden.keys)

    def _keys(self, i: IntArray, j: IntArray) -> IntArray:
        result: IntArray = np.minimum(i, j) * self.n + np.maximum(i, j)
        return result

    def is_forbidden(self, i: IntArray, j: IntArray) -> BoolArray:
        if len(self.forbidden.keys) == 0:
            same: BoolArray = i == j
            return same
        hit, _ = self.forbidden.find(self._keys(i, j))
        result: BoolArray = hit | (i == j)
        return result

    def usable(self, i: IntArray, j: IntArray) -> tuple[IntArray, IntArray]:
        """Distinct candidate pairs that are neither forbidden nor already met."""
        keys = np.sort(self._keys(i, j))  # sorted, not hashed: hashing millions is slower
        keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])]
        i, j = keys // self.n, keys % self.n
        keep = np.ones(len(keys), dtype=bool)
        for part in _chunks(len(keys)):
            met, _, _ = self.past.lookup(i[part], j[part])
            keep[part] = ~met & ~self.is_forbidden(i[part], j[part])
        return i[keep], j[keep]

    def block(self, members: IntArray) -> FloatArray:
        """``weights(members[:, None], members[None, :], allow_repeats=True,
        jitter=False)``, equal entry for entry, built for a dense block: scores from
        :func:`pairing.table.coffee_score_block`, and the block's own history read
        from everyone's list of past partners (work in proportion to the block, not
        to the whole history, so a block costs the same at any N)."""
        scores = coffee_score_block(self.table, members, members, self.w)
        a, b, last, met, barred = self._partners.among(members)
        missed = ~met & ~barred
        scores[a[missed], b[missed]] += self.w.missed_last_time
        if self.priority.any():
            mine = self.priority[members]
            scores += PRIORITY_CREDIT * (mine[:, None].astype(float) + mine[None, :])
        repeat = met & ~barred
        age = np.clip(self.past.latest_round - last[repeat], 0, MAX_AGE)
        ra, rb = a[repeat], b[repeat]
        scores[ra, rb] = scores[ra, rb] - REPEAT_PENALTY + AGE_CREDIT * age
        scores[a[barred], b[barred]] = -np.inf
        np.fill_diagonal(scores, -np.inf)
        return scores

    def weights(
        self, i: IntArray, j: IntArray, *, allow_repeats: bool = False, jitter: bool = True
    ) -> FloatArray:
        """Effective weights; ``jitter`` adds a seeded per-pair tie-breaker (tiny).

        Long lists of pairs are weighed a chunk at a time, which bounds the memory that
        the temporaries take at 100,000 members."""
        if i.ndim != 1 or len(i) <= CHUNK:
            return self._weights(i, j, allow_repeats, jitter)
        result = np.empty(len(i))
        for part in _chunks(len(i)):
            result[part] = self._weights(i[part], j[part], allow_repeats, jitter)
        return result

    def _weights(self, i: IntArray, j: IntArray, allow_repeats: bool, jitter: bool) -> FloatArray:
        met, missed, last = self.past.lookup(i, j)
        value = coffee_scores(self.table, i, j, self.w, missed)
        if self.priority.any():
            value = value + PRIORITY_CREDIT * (self.priority[i].astype(float) + self.priority[j])
        if jitter:
            mixed = (self._keys(i, j).astype(np.uint64) * HASH + self.salt) >> np.uint64(11)
            value += mixed.astype(np.float64) / float(2**53) * 2 * JITTER
        if met.any():
            age = np.clip(self.past.latest_round - last, 0, MAX_AGE)
            repeat = value - REPEAT_PENALTY + AGE_CREDIT * age
            value = np.where(met, repeat if allow_repeats else -np.inf, value)
        result: FloatArray = np.where(self.is_forbidden(i, j), -np.inf, value)
        return result


class _Partners:
    """Everyone's past partners (and the people they may not meet), as sorted lists:
    the pairs among a block of members are found by reading the block's own lists."""

    def __init__(self, n: int, past: PairHistory, forbidden_keys: IntArray) -> None:
        keys = np.concatenate([past.keys, forbidden_keys])
        last = np.concatenate([past.last_round, np.full(len(forbidden_keys), -1, np.int64)])
        met = np.concatenate([past.met, np.zeros(len(forbidden_keys), dtype=bool)])
        barred = np.concatenate(
            [np.zeros(len(past.keys), dtype=bool), np.ones(len(forbidden_keys), dtype=bool)]
        )
        low, high = keys // n, keys % n
        owner = np.concatenate([low, high])
        order = np.argsort(owner, kind="stable")
        self.partner = np.concatenate([high, low])[order]
        self.entry = np.concatenate([np.arange(len(keys))] * 2)[order]
        self.start = np.searchsorted(owner[order], np.arange(n + 1))
        self.last, self.met, self.barred = last, met, barred
        self.place = np.full(n, -1, dtype=np.int64)  # scratch: position within a block

    def among(self, members: IntArray) -> tuple[IntArray, IntArray, IntArray, BoolArray, BoolArray]:
        """Pairs (a, b) of positions in ``members`` with a history or an exclusion, each
        both ways round: (a, b, last round, met, barred). A pair that is both met and
        barred is listed twice, once as each."""
        first, stop = self.start[members], self.start[members + 1]
        counts = stop - first
        owner = np.repeat(np.arange(len(members)), counts)
        offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        slot = np.repeat(first, counts) + offsets
        self.place[members] = np.arange(len(members))
        other = self.place[self.partner[slot]]
        self.place[members] = -1
        inside = other >= 0
        entry = self.entry[slot[inside]]
        return owner[inside], other[inside], self.last[entry], self.met[entry], self.barred[entry]
