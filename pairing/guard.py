"""Keep odd clusters connected to the rest so rounds can go on to the limit.

Every perfect matching pairs at least one member of an odd set S with someone outside
it. So if the unmet graph is d-regular, d more repeat-free rounds need at least d unmet
pairs leaving S: ``cut(S) >= d``. A preference for meeting outside one's team uses up
exactly those pairs (with three odd departments and a cross-team preference, a greedy
matcher exhausts them long before the end, leaving odd islands). This guard keeps
``cut(S) >= d`` after each round for the odd clusters that carry preferences (teams and
departments) whose cut one round could bring below that: when a cluster has more
crossing pairs than the cut can spare, only the best ones are kept and both sides are
re-matched on their own (unmet pairs only; the dense matcher, grown by augmenting paths
where it leaves someone out). Re-matching one side avoids pairs that cross another
guarded cluster, so enforcing one cluster does not spend another's cut (with three
departments that ping-pong used to strand them by round 666 of 999).

The guard leaves tight cuts behind (``cut(S) == d``); certified rounds factorise across
them (:mod:`pairing.tight_cuts`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from pairing.dense_matching import best_complete_matching

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
PASSES = 3
OTHER_CUT_PENALTY = 1e3


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
) -> bool:
    """Re-pair crossing pairs in place so that every odd cluster keeps ``cut >= d``.

    Returns whether every odd cluster keeps it after this round (``True`` when the
    graph is not regular or the round not perfect: then there is nothing to keep).
    """
    n = len(mate)
    if n % 2 or n == 0 or (mate < 0).any():
        return True
    degrees = np.count_nonzero(unmet, axis=1)
    if (degrees != degrees[0]).any():
        return True
    d = int(degrees[0])
    odd = [s for s in clusters if len(s) % 2 and 0 < len(s) < n]
    masks = np.zeros((len(odd), n), dtype=bool)
    for row, members in enumerate(odd):
        masks[row, members] = True
    size = masks.sum(axis=1)
    most = np.minimum(size, n - size)  # crossings one round can use
    # Each side's members have at most (side - 1) unmet partners on their own side, so
    # the cut is at least side * (d - side + 1) from either side: most clusters are safe
    # whatever this round does without counting their cut.
    least = np.maximum(size * (d - size + 1), (n - size) * (d - (n - size) + 1))
    masks = masks[least - most < d - 1]
    cuts = np.array([int(unmet[np.ix_(m, ~m)].sum()) for m in masks], dtype=np.int64)
    most = np.minimum(masks.sum(axis=1), n - masks.sum(axis=1))
    masks = masks[cuts - most < d - 1]  # the others are safe whatever this round does
    for _ in range(PASSES):
        changed = False
        for row in range(len(masks)):
            changed |= _enforce(mate, unmet, weights, masks, row, d)
        if not changed:
            break
    return all(_cut_after(mate, unmet, m) >= d - 1 for m in masks)


def _cut_after(mate: IntArray, unmet: BoolArray, inside: BoolArray) -> int:
    crossing = int((inside != inside[mate]).sum()) // 2
    return int(unmet[np.ix_(inside, ~inside)].sum()) - crossing


def _enforce(
    mate: IntArray, unmet: BoolArray, weights: FloatArray, masks: BoolArray, row: int, d: int
) -> bool:
    inside = masks[row]
    members = np.flatnonzero(inside)
    cut = int(unmet[np.ix_(inside, ~inside)].sum())
    # crossing pairs this round may use; odd, as the cut of an odd set has d's parity
    budget = max(cut - (d - 1), 1)
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
    others = np.delete(masks, row, axis=0)
    for side in (inside & ~fixed, ~inside & ~fixed):
        who = np.flatnonzero(side)
        block = np.where(unmet[np.ix_(who, who)], weights[np.ix_(who, who)], -np.inf)
        for other in others[:, who]:  # re-matching one side must not spend another's cut
            block -= OTHER_CUT_PENALTY * (other[:, None] != other[None, :])
        local = best_complete_matching(block)
        if (local < 0).any():
            return False  # no repeat-free way to keep this cluster connected this round
        proposal[who] = who[local]
    mate[:] = proposal
    return True
