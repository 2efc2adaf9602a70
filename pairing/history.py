"""Who has met whom: past groups reduced to pairs among this round's members.

A pair counts as *met* if any past group held both. With ``reoffer_missed`` a pair whose
latest group together had the outcome NOT_MET does not count as met; it is *missed*
instead and may be offered again. Pairs are keyed ``i * n + j`` (``i < j``) on member
indices, and kept sorted; lookups go through :class:`pairing.keyset.KeySet`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

from pairing.keyset import KeySet
from pairing.models import Outcome, PastGroup

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
RECENT_ROUNDS = 8


@dataclass(frozen=True, slots=True)
class PairHistory:
    n: int
    keys: IntArray  # sorted pair keys of pairs that met or missed
    last_round: IntArray  # latest round the pair was grouped
    met: BoolArray  # counts as met (else: missed and re-offerable)
    latest_round: int  # latest round in the whole history (-1 if none)
    recent: tuple[tuple[IntArray, IntArray], ...]  # pairs (i, j) of the latest rounds, newest first
    index: KeySet  # ``keys`` for fast lookups

    @classmethod
    def of(
        cls, history: Iterable[PastGroup], index: Mapping[str, int], *, reoffer_missed: bool
    ) -> PairHistory:
        n = len(index)
        keys: list[int] = []
        rounds: list[int] = []
        missed: list[bool] = []
        latest = -1
        get = index.get
        add_key, add_round, add_missed = keys.append, rounds.append, missed.append
        not_met_outcome = Outcome.NOT_MET
        for group in history:
            when = group.round
            if when > latest:
                latest = when
            members = group.members
            if len(members) == 2:
                a, b = members
                ia, ib = get(a), get(b)
                if ia is None or ib is None:
                    continue
                add_key(ia * n + ib if ia < ib else ib * n + ia)
                add_round(when)
                add_missed(group.outcome == not_met_outcome)
                continue
            found = sorted(i for i in map(get, members) if i is not None)
            for i, j in combinations(found, 2):
                add_key(i * n + j)
                add_round(when)
                add_missed(group.outcome == not_met_outcome)
        key_arr = np.array(keys, dtype=np.int64)
        round_arr = np.array(rounds, dtype=np.int64)
        recent = _recent_rounds(key_arr, round_arr, n)
        missed_arr = np.array(missed, dtype=bool)
        # Latest entry per pair: sort by (key, round), keep the last of each key.
        order = np.lexsort((round_arr, key_arr))
        key_arr, round_arr, missed_arr = key_arr[order], round_arr[order], missed_arr[order]
        last = np.ones(len(key_arr), dtype=bool)
        last[:-1] = key_arr[1:] != key_arr[:-1]
        met = ~missed_arr[last] if reoffer_missed else np.ones(int(last.sum()), dtype=bool)
        stored = key_arr[last]
        return cls(n, stored, round_arr[last], met, latest, recent, KeySet(stored))

    def lookup(self, i: IntArray, j: IntArray) -> tuple[BoolArray, BoolArray, IntArray]:
        """For pairs ``(i, j)``: (met, missed, last round or -1)."""
        if len(self.keys) == 0:
            nothing = np.zeros(np.shape(i), dtype=bool)
            return nothing, nothing.copy(), np.full(np.shape(i), -1, dtype=np.int64)
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        found, pos = self.index.find(lo * self.n + hi)
        met = found & self.met[pos]
        missed = found & ~self.met[pos]
        last = np.where(found, self.last_round[pos], -1)
        return met, missed, last

    def met_pairs(self) -> tuple[IntArray, IntArray, IntArray]:
        """Index pairs ``(i, j)`` that count as met, with their last round."""
        keys = self.keys[self.met]
        return keys // self.n, keys % self.n, self.last_round[self.met]

    def missed_pairs(self) -> tuple[IntArray, IntArray]:
        keys = self.keys[~self.met]
        return keys // self.n, keys % self.n


def _recent_rounds(
    keys: IntArray, rounds: IntArray, n: int
) -> tuple[tuple[IntArray, IntArray], ...]:
    result = []
    for value in np.unique(rounds)[::-1][:RECENT_ROUNDS].tolist():
        chosen = keys[rounds == value]
        result.append((chosen // n, chosen % n))
    return tuple(result)


def partner_array(pairs: tuple[IntArray, IntArray], n: int) -> IntArray:
    """Partner per member for a round made of pairs; -1 where someone has none."""
    i, j = pairs
    mate = np.full(n, -1, dtype=np.int64)
    counts = np.bincount(np.concatenate([i, j]), minlength=n)
    mate[i], mate[j] = j, i
    mate[counts != 1] = -1
    return mate
