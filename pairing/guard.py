"""Keep odd clusters connected to the rest so rounds can go on to the limit.

Every perfect matching pairs at least one member of an odd set S with someone outside
it. So if the unmet graph is d-regular, d more repeat-free rounds need at least d unmet
pairs leaving S: ``cut(S) >= d``. A preference for meeting outside one's team uses up
exactly those pairs (with three odd departments and a cross-team preference, a greedy
matcher exhausts them long before the end, leaving three odd islands). This guard keeps
``cut(S) >= d`` after each free-mode round for the clusters that carry preferences
(teams and departments): when a cluster has more crossing pairs than its slack allows,
only the best ones are kept and both sides are re-matched on their own (unmet pairs
only, with the dense matcher); if a side cannot be matched, the round stays as it was.
It only matters for clusters larger than the degree, late in a program; before then
``cut(S) >= d`` holds for any matching.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from pairing.dense_matching import best_matching

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
PASSES = 3
MARGIN = 1  # keep cut(S) >= MARGIN * d; 1 is the necessary condition


def clusters_of(codes: Sequence[IntArray]) -> list[IntArray]:
    """Member index arrays of every distinct cluster named by the codes (-1 = none)."""
    seen: dict[bytes, IntArray] = {}
    for code in codes:
        for value in np.unique(code[code >= 0]).tolist():
            members = np.flatnonzero(code == value)
            seen.setdefault(members.tobytes(), members)
    return list(seen.values())


def guard_odd_clusters(
    mate: IntArray, unmet: BoolArray, weights: FloatArray, clusters: Sequence[IntArray]
) -> None:
    """Re-pair crossing pairs in place so that every odd cluster keeps ``cut >= d``."""
    n = len(mate)
    degrees = unmet.sum(axis=1)
    if n % 2 or n == 0 or (degrees != degrees[0]).any() or (mate < 0).any():
        return
    d = int(degrees[0])
    risky = [s for s in clusters if len(s) % 2 and min(len(s), n - len(s)) >= d]
    for _ in range(PASSES):
        changed = False
        for members in risky:
            changed |= _enforce(mate, unmet, weights, members, d)
        if not changed:
            return


def _enforce(
    mate: IntArray, unmet: BoolArray, weights: FloatArray, members: IntArray, d: int
) -> bool:
    inside = np.zeros(len(mate), dtype=bool)
    inside[members] = True
    cut = int(unmet[np.ix_(inside, ~inside)].sum())
    budget = max(cut - MARGIN * (d - 1), 1)  # crossing pairs this round may use (odd)
    crossing = members[~inside[mate[members]]]
    if len(crossing) <= budget:
        return False
    # Keep the best ``budget`` crossing pairs; everyone else is re-matched on their own
    # side (unmet pairs only), which is the whole difference to the unconstrained round.
    keep = crossing[np.argsort(-weights[crossing, mate[crossing]], kind="stable")[:budget]]
    fixed = np.zeros(len(mate), dtype=bool)
    fixed[keep] = True
    fixed[mate[keep]] = True
    proposal = mate.copy()
    for side in (inside & ~fixed, ~inside & ~fixed):
        who = np.flatnonzero(side)
        block = np.where(unmet[np.ix_(who, who)], weights[np.ix_(who, who)], -np.inf)
        local = best_matching(block)
        if (local < 0).any():
            return False  # no repeat-free way to keep this cluster connected this round
        proposal[who] = who[local]
    mate[:] = proposal
    return True
