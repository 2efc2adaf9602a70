"""Everything a dense (n x n) round needs, computed once per round.

Holds the soft score matrix (exactly :func:`pairing.scoring.coffee_pair_score`), which
pairs met and when, which pairs are forbidden, and the *effective* weights the matchers
maximise. Effective weights encode the priorities of the engine in one number:

- forbidden pairs are ``-inf`` (never chosen);
- a repeated pair costs ``REPEAT_PENALTY`` and earns back ``AGE_CREDIT`` per round since
  it last met, so repeats come last and, among them, the oldest first;
- each priority member covered earns ``PRIORITY_CREDIT`` (only matters when someone
  must be left over).

Ties are broken by the seed: the matchers work on a seeded permutation of the members
(see :func:`pairing.dense_matching.best_matching`), so equal members do not always pair
in id order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pairing.history import PairHistory
from pairing.models import Member
from pairing.options import Weights
from pairing.table import MemberTable, coffee_score_block

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
REPEAT_PENALTY = 1e5
AGE_CREDIT = 10.0
MAX_AGE = 5000
PRIORITY_CREDIT = 1e3
JITTER = 1e-7
BLOCK = 1 << 21


def forbidden_pairs(members: Sequence[Member], index: dict[str, int]) -> tuple[IntArray, IntArray]:
    """Index pairs (a, b) where b is in a's reporting line."""
    rows: list[int] = []
    cols: list[int] = []
    for a, member in enumerate(members):
        for manager in member.managers:
            b = index.get(manager)
            if b is not None and b != a:
                rows.append(a)
                cols.append(b)
    return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class DenseContext:
    scores: FloatArray
    met: BoolArray
    missed: BoolArray
    forbidden: BoolArray
    unmet: BoolArray
    effective: FloatArray
    priority: BoolArray
    latest_round: int

    @classmethod
    def build(
        cls,
        table: MemberTable,
        history: PairHistory,
        forbidden_ij: tuple[IntArray, IntArray],
        weights: Weights,
        priority: BoolArray,
    ) -> DenseContext:
        n = len(table.ids)
        mi, mj, mr = history.met_pairs()
        si, sj = history.missed_pairs()
        met = np.zeros((n, n), dtype=bool)
        met[mi, mj] = met[mj, mi] = True
        missed = np.zeros((n, n), dtype=bool)
        missed[si, sj] = missed[sj, si] = True
        forbidden = np.eye(n, dtype=bool)
        fi, fj = forbidden_ij
        forbidden[fi, fj] = forbidden[fj, fi] = True
        scores = _score_matrix(table, weights)
        scores[si, sj] += weights.missed_last_time
        scores[sj, si] = scores[si, sj]
        unmet = ~met & ~forbidden
        # Only the pairs that met differ from the scores (the history is sparse).
        age = np.clip(history.latest_round - mr, 0, MAX_AGE).astype(np.float64)
        effective = scores.copy()
        effective[mi, mj] = scores[mi, mj] - REPEAT_PENALTY + AGE_CREDIT * age
        effective[mj, mi] = effective[mi, mj]
        if priority.any():
            effective += PRIORITY_CREDIT * (priority[:, None].astype(float) + priority[None, :])
        effective[fi, fj] = effective[fj, fi] = -np.inf
        np.fill_diagonal(effective, -np.inf)
        return cls(scores, met, missed, forbidden, unmet, effective, priority, history.latest_round)


def _score_matrix(table: MemberTable, weights: Weights) -> FloatArray:
    """All pair scores but the missed term, a block of rows at a time."""
    n = len(table.ids)
    cols = np.arange(n, dtype=np.int64)
    rows_per_block = max(1, BLOCK // max(n, 1))
    if rows_per_block >= n:
        return coffee_score_block(table, cols, cols, weights)
    scores = np.zeros((n, n), dtype=np.float64)
    for start in range(0, n, rows_per_block):
        rows = np.arange(start, min(n, start + rows_per_block), dtype=np.int64)
        scores[rows] = coffee_score_block(table, rows, cols, weights)
    return scores
