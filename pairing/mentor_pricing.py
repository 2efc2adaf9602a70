"""Candidate mentors and the dual check over every allowed pair (dense cost matrix).

Solving on all allowed pairs (5,000 mentees x 1,000 mentors: 2.6 million arcs) is what
made mentorship rounds slow, though a mentee ends up with one of its best few mentors
almost always. So the solver (:mod:`pairing.b_matching`) first sees each mentee's
``CANDIDATES`` best mentors only -- ties between equally good mentors spread by a fixed
hash, or every mentee would list the same few and leave the others' capacity unseen --
then every allowed pair is checked against its potentials, and the pairs that could
still improve the assignment (``c + d[r] > d[e]``) are added, each mentee's best few,
and the problem solved again. When no pair passes the check the assignment is optimal
over all allowed pairs: that check is the certificate, not the size of the candidate set.

The costs of all pairs are one integer matrix (mentees x mentors, 0 where a pair is not
allowed), in the narrowest integer type that holds them (int16 for the default weights:
160 MB at 20,000 x 4,000); the checks run over it in blocks of rows.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Costs = npt.NDArray[np.integer]
CANDIDATES = 8
PER_SLOT = 2
ADD_PER_MENTEE = 4
MAX_ROUNDS = 60
BLOCK = 4_000_000  # entries per block of rows
SPREAD = 8  # tie-breaking hash values 0..SPREAD-1, below one unit of cost


def spread(rows: IntArray, cols: IntArray) -> IntArray:
    """A fixed hash of (row, column) in ``0..SPREAD-1``: breaks ties, never the seed."""
    mixed = (rows.astype(np.uint64) * np.uint64(2654435761)) ^ (
        cols.astype(np.uint64) * np.uint64(40503)
    )
    result: IntArray = ((mixed >> np.uint64(7)) % np.uint64(SPREAD)).astype(np.int64)
    return result


def best_per_row(values: npt.NDArray[np.integer], count: int) -> tuple[IntArray, IntArray]:
    """(row, column) of each row's ``count`` highest positive entries."""
    rows, cols = values.shape
    if cols == 0 or rows == 0 or count <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    count = min(count, cols)
    if count < cols:
        top = np.argpartition(-values, count - 1, axis=1)[:, :count]
    else:
        top = np.broadcast_to(np.arange(cols), (rows, cols))
    row = np.repeat(np.arange(rows, dtype=np.int64), count)
    col = top.reshape(-1).astype(np.int64)
    keep = values[row, col] > 0
    return row[keep], col[keep]


def initial_candidates(costs: Costs, capacity: IntArray) -> tuple[IntArray, IntArray]:
    """Each mentee's ``CANDIDATES`` best mentors, and each mentor's ``PER_SLOT`` times
    its capacity best mentees (so no mentor's room goes unseen), ties spread by
    :func:`spread`."""
    found_rows, found_cols = [], []
    cols = np.arange(costs.shape[1], dtype=np.int64)
    everyone = np.arange(costs.shape[0], dtype=np.int64)
    keyed = costs.T.astype(np.int64) * SPREAD + spread(everyone[None, :], cols[:, None])
    for per in np.unique(capacity[capacity > 0]).tolist():
        mine = np.flatnonzero(capacity == per)
        col, row = best_per_row(np.where(costs.T[mine] > 0, keyed[mine], 0), PER_SLOT * per)
        found_rows.append(row)
        found_cols.append(mine[col])
    for start, block in _blocks(costs):
        rows = np.arange(start, start + len(block), dtype=np.int64)
        keyed = block.astype(np.int64) * SPREAD + spread(rows[:, None], cols[None, :])
        row, col = best_per_row(np.where(block > 0, keyed, 0), CANDIDATES)
        found_rows.append(start + row)
        found_cols.append(col)
    return _joined(found_rows, found_cols)


def improving(
    costs: Costs,
    listed: BoolArray,
    mentee_potential: IntArray,
    mentor_potential: IntArray,
) -> tuple[IntArray, IntArray]:
    """Allowed pairs not listed yet whose reduced cost is negative: each mentee's
    ``ADD_PER_MENTEE`` most violating ones. Empty: optimal over all pairs."""
    found_rows, found_cols = [], []
    narrow = max(_span(mentee_potential), _span(mentor_potential)) < 2**28
    for start, block in _blocks(costs):
        stop = start + len(block)
        slack: IntArray = _slack(block, mentee_potential[start:stop], mentor_potential, narrow)
        violating = (slack > 0) & (block > 0) & ~listed[start:stop]
        rows = np.flatnonzero(violating.any(axis=1))
        if len(rows) == 0:
            continue
        cols = np.arange(costs.shape[1], dtype=np.int64)
        keyed = slack[rows].astype(np.int64) * SPREAD + spread(start + rows[:, None], cols)
        row, col = best_per_row(np.where(violating[rows], keyed, 0), ADD_PER_MENTEE)
        found_rows.append(start + rows[row])
        found_cols.append(col)
    return _joined(found_rows, found_cols)


def _slack(block: Costs, mentee: IntArray, mentor: IntArray, narrow: bool) -> IntArray:
    """``cost + d[mentor] - d[mentee]`` (int32 when that cannot overflow: half the memory
    traffic of int64)."""
    if narrow:
        small = block.astype(np.int32) + mentor.astype(np.int32)[None, :]
        small -= mentee.astype(np.int32)[:, None]
        return small.view(np.int32)
    wide: IntArray = block.astype(np.int64) + mentor[None, :] - mentee[:, None]
    return wide


def _blocks(costs: Costs) -> list[tuple[int, Costs]]:
    step = max(1, BLOCK // max(1, costs.shape[1]))
    return [(start, costs[start : start + step]) for start in range(0, costs.shape[0], step)]


def _joined(rows: list[IntArray], cols: list[IntArray]) -> tuple[IntArray, IntArray]:
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(rows), np.concatenate(cols)


def _span(values: IntArray) -> int:
    return int(np.abs(values).max()) if len(values) else 0
