"""Improve a large matching block by block: whole pairs re-matched densely, kept if better.

The sparse path (:mod:`pairing.sparse_round`) starts from a greedy matching on
candidate pairs. Its pairs are then cut into blocks of ``BLOCK // 2`` pairs of people
with similar working hours (randomly within one), and each block is re-matched by the
dense matcher (:func:`pairing.dense_matching.best_matching`) on all its pairs that have
not met. A block keeps its new pairs only if they are worth more, so a pass never makes
the matching worse, and each block brings together people who were far apart in the
candidate graph: each pass gives everyone a fresh pool of about ``BLOCK`` partners.
Work and memory grow linearly with the number of people.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from pairing.candidates import PairWeights
from pairing.dense_context import REPEAT_PENALTY
from pairing.dense_matching import best_matching
from pairing.table import MemberTable

IntArray = npt.NDArray[np.int64]
BLOCK = 1000
EPSILON = 1e-9


def refine_in_blocks(
    pw: PairWeights, table: MemberTable, mate: IntArray, rng: np.random.Generator
) -> None:
    """One pass over blocks of the matched pairs of ``mate`` (in place)."""
    a = np.flatnonzero(mate > np.arange(len(mate)))
    b = mate[a]
    if len(a) < 2:
        return
    hours = np.minimum(table.window[a], table.window[b])
    order = np.lexsort((rng.random(len(a)), hours))
    order = np.roll(order, int(rng.integers(len(a))))  # block boundaries move each round
    for chunk in np.array_split(order, max(1, round(2 * len(a) / BLOCK))):
        _rematch(pw, np.concatenate([a[chunk], b[chunk]]), mate, rng)


def _rematch(pw: PairWeights, block: IntArray, mate: IntArray, rng: np.random.Generator) -> None:
    """Re-match ``block`` (its first half paired with its second) if that gains."""
    half = len(block) // 2
    w = pw.block(block)
    unmet = w > -REPEAT_PENALTY / 2
    local = best_matching(w, unmet, rng)
    rows = np.arange(len(block))
    if (local < 0).any() or not unmet[rows, local].all():
        return
    before = float(w[rows[:half], rows[:half] + half].sum())
    if float(w[rows, local].sum()) / 2 > before + EPSILON:
        mate[block] = block[local]
