"""Soft-score local search over groupings: a greedy start, then tabu search on swaps.

The objective is the sum of pair weights inside groups. Start: members, in the order
given, each join the open group they fit best. Then tabu search: the gain of swapping
any two members of different groups is one n x n matrix expression; the best swap not
involving a recently moved member is made even if it loses (which walks out of local
optima), and the best grouping seen is kept. Deterministic for the same input.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
TENURE = 7
# Relative: the running total drifts by float rounding, and a cycle of swaps back to the
# best grouping must not count as progress (it kept searches going for thousands of steps).
TOLERANCE = 1e-7


def start_grouping(weights: FloatArray, sizes: list[int], order: IntArray) -> IntArray:
    n, g = len(weights), len(sizes)
    group = np.full(n, -1, dtype=np.int64)
    room = np.array(sizes, dtype=np.int64)
    totals = np.zeros((n, g))
    for x in order.tolist():
        value = np.where(room > 0, totals[x], -np.inf)
        # prefer empty-ish groups on ties so everyone gets company
        target = int(np.argmax(value + 1e-6 * room))
        group[x] = target
        room[target] -= 1
        totals[:, target] += weights[:, x]
    return group


def swap_search(
    weights: FloatArray, group: IntArray, g: int, steps: int, patience: int
) -> IntArray:
    """Best grouping found by tabu search on swaps from ``group`` (not modified).

    The gain of every swap is kept in an n x n matrix: a swap between groups ``a`` and
    ``b`` changes only the gains of members of ``a`` and ``b`` (their rows and columns),
    so a step costs O(n * group size) updates and one argmax instead of rebuilding the
    matrix (at n = 1,000 about ten times faster). The entries are computed exactly as a
    full rebuild would, so the search takes the same steps.
    """
    n = len(weights)
    group = group.copy()
    everyone = np.arange(n)
    onehot = np.zeros((n, g))
    onehot[everyone, group] = 1.0
    totals = weights @ onehot
    gain = _gains(weights, totals, group, everyone, everyone)
    best_group, best_value, current = group.copy(), 0.0, 0.0
    tabu_until = np.zeros(n, dtype=np.int64)
    since_best = 0
    for step in range(steps):
        cell = _best_allowed(gain, np.flatnonzero(tabu_until > step))
        x, y = divmod(cell, n)
        if not np.isfinite(gain[x, y]):
            break
        a, b = int(group[x]), int(group[y])
        totals[:, a] += weights[:, y] - weights[:, x]
        totals[:, b] += weights[:, x] - weights[:, y]
        group[x], group[y] = b, a
        current += float(gain[x, y])
        moved = np.flatnonzero((group == a) | (group == b))
        if 2 * len(moved) < n:
            gain[moved, :] = _gains(weights, totals, group, moved, everyone)
            gain[:, moved] = _gains(weights, totals, group, everyone, moved)
        else:  # a few large groups: rebuilding is cheaper
            gain = _gains(weights, totals, group, everyone, everyone)
        tabu_until[[x, y]] = step + TENURE
        if current > best_value + TOLERANCE * (1.0 + abs(best_value)):
            best_group, best_value, since_best = group.copy(), current, 0
        else:
            since_best += 1
            if since_best > patience:
                break
    return best_group


def _gains(
    weights: FloatArray, totals: FloatArray, group: IntArray, rows: IntArray, cols: IntArray
) -> FloatArray:
    """Gain of swapping each of ``rows`` with each of ``cols`` (-inf within a group).

    ``totals[v, t]`` is the weight of ``v`` with group ``t``; swapping ``x`` and ``y``
    gains what each has with the other's group, minus what each has with its own, minus
    twice their own pair (counted in both "other group" terms).
    """
    own = totals[np.arange(len(group)), group]
    block = (
        totals[np.ix_(rows, group[cols])]
        + totals[np.ix_(cols, group[rows])].T
        - own[rows][:, None]
        - own[cols][None, :]
        - 2 * weights[np.ix_(rows, cols)]
    )
    block[group[rows][:, None] == group[cols][None, :]] = -np.inf
    return block


def _best_allowed(gain: FloatArray, tabu: IntArray) -> int:
    """Flat index of the largest gain outside the tabu rows and columns."""
    if len(tabu) == 0:
        return int(np.argmax(gain))
    rows, cols = gain[tabu, :].copy(), gain[:, tabu].copy()
    gain[tabu, :] = -np.inf
    gain[:, tabu] = -np.inf
    cell = int(np.argmax(gain))
    gain[:, tabu] = cols
    gain[tabu, :] = rows
    return cell
