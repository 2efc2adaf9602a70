"""One pass over every mentee/mentor cost: the first candidates and the pricing bounds.

:func:`scan` reads every pair's cost once (a block of rows at a time,
:mod:`pairing.mentor_blocks`) and keeps, per mentee, its ``CANDIDATES`` best mentors
(ties spread by a fixed hash, or every mentee would list the same few), and per chunk
of ``CHUNK`` mentors the highest cost of a pair *not* kept (the bound the dual check in
:mod:`pairing.mentor_pricing` clears chunks with); :func:`column_candidates` adds each
mentor's best mentees, so no mentor's room goes unseen by the first flow solve. Given
the mentors' room, the same pass makes a greedy assignment (each mentee, in order, takes
its best mentor with room left) whose pairs join the candidates: the first solve can then
match as many mentees as the optimum, and its potentials are near the final ones (100k x
20k: 7 solves instead of 13, the first check finds 22 million improving pairs instead of
315 million).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pairing.mentor_blocks import CHUNK, CostSource, cells

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
CANDIDATES = 6
PER_SLOT = 1
BLOCK = 1 << 22  # cost entries per block of rows
SPREAD = 8  # tie-breaking hash values 0..SPREAD-1, below one unit of cost


def spread(rows: IntArray, cols: IntArray) -> IntArray:
    """A fixed hash of (row, column) in ``0..SPREAD-1``: breaks ties, never the seed."""
    return _mixed(rows, cols).astype(np.int64)


def _mixed(rows: IntArray, cols: IntArray) -> npt.NDArray[np.uint32]:
    mixed = (rows.astype(np.uint32) * np.uint32(2654435761)) ^ (
        cols.astype(np.uint32) * np.uint32(40503)
    )
    mixed >>= np.uint32(7)
    mixed &= np.uint32(SPREAD - 1)
    return mixed


def tie_keys(
    values: npt.NDArray[np.integer], rows: IntArray, cols: IntArray
) -> npt.NDArray[np.integer]:
    """``values * SPREAD`` plus the tie-breaking hash of each (row, column): int32 where
    the values are int16 (half the memory the partitions that rank them read)."""
    if values.dtype.itemsize <= 2:
        keys = values.astype(np.int32)
        keys *= SPREAD
        keys += _mixed(rows, cols).astype(np.int32)
        return keys
    return values.astype(np.int64) * SPREAD + spread(rows, cols)


@dataclass(frozen=True, slots=True)
class Scan:
    """What one pass over all costs leaves: candidate pairs with their costs, the bound
    per (row, chunk) of the pairs not listed, whether each row has an allowed pair, and
    how many pairs are allowed."""

    row: IntArray
    col: IntArray
    cost: IntArray
    bound: npt.NDArray[np.integer]
    column_bound: npt.NDArray[np.integer]  # per (chunk of rows, column): the highest cost
    has_any: BoolArray
    allowed: int


def top_per_row(
    values: npt.NDArray[np.integer], keys: npt.NDArray[np.integer], count: int
) -> IntArray:
    """Positions (per row) of the ``count`` highest ``keys`` among positive ``values``;
    rows x count, -1 where fewer."""
    width = values.shape[1]
    count = min(count, width)
    if count == 0:
        return np.zeros((values.shape[0], 0), np.int64)
    top = np.argpartition(keys, width - count, axis=1)[:, width - count :]
    return np.where(np.take_along_axis(values, top, axis=1) > 0, top, -1)


def _greedy(
    block: npt.NDArray[np.integer], start: int, left: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """A greedy assignment of a block of rows (``start`` on) to the columns with room
    ``left`` (updated): each row takes its best column with room (ties spread); where
    more rows want a column than it has room, the best of them get it and the others
    try again."""
    n, cols = block.shape
    small = int(block.max(initial=0)) < 2**16 // SPREAD  # (costs are never negative)
    kind = np.uint16 if small else np.int64
    costs = block.view(np.uint16) if small and block.dtype == np.int16 else block
    row_tie = spread(start + np.arange(n), start + np.arange(n)).astype(kind)[:, None]
    col_tie = spread(np.arange(cols), np.arange(cols)).astype(kind)[None, :]
    pending = np.arange(n)
    found = []
    while len(pending) and (left > 0).any():
        # cost * SPREAD where the column has room (0 where full), ties spread in the
        # low bits: a key below SPREAD is never chosen
        key = (costs if len(pending) == n else costs[pending]) * ((left > 0) * SPREAD).astype(kind)
        key ^= row_tie if len(pending) == n else row_tie[pending]
        key ^= col_tie
        best = key.argmax(axis=1)
        value = key[np.arange(len(pending)), best]
        has = np.flatnonzero(value >= SPREAD)
        order = has[np.lexsort((-value[has].astype(np.int64), best[has]))]
        col = best[order]  # per column, the best rows first
        rank = rank_in_runs(col)
        took = rank < left[col]
        left -= np.bincount(col[took], minlength=len(left))
        found.append((pending[order[took]], col[took]))
        pending = pending[np.sort(order[~took])]
    row = np.concatenate([f[0] for f in found]) if found else np.zeros(0, np.int64)
    col = np.concatenate([f[1] for f in found]) if found else np.zeros(0, np.int64)
    return start + row, col, block[row, col].astype(np.int64)


def scan(source: CostSource, room: IntArray | None = None, count: int = CANDIDATES) -> Scan:
    """One pass over every cost: candidates and bounds (see the module doc), and the
    pairs of a greedy assignment to the columns' ``room`` when given."""
    rows, cols, chunks = source.rows, source.cols, source.cols // CHUNK
    step = max(1, BLOCK // cols // CHUNK) * CHUNK
    found: list[tuple[IntArray, IntArray, IntArray]] = []
    bound, has_any, allowed = None, np.zeros(rows, bool), 0
    by_column = []
    left = None if room is None else room.copy()
    for start in range(0, rows, step):
        block = source.block(start, min(rows, start + step))
        n = len(block)
        if left is not None:
            found.append(_greedy(block, start, left))
        whole = block if n % CHUNK == 0 else np.pad(block, ((0, CHUNK - n % CHUNK), (0, 0)))
        by_column.append(whole.reshape(-1, CHUNK, cols).max(axis=1))
        by_chunk = block.reshape(n, chunks, CHUNK)
        most = by_chunk.max(axis=2)
        if bound is None:
            bound = np.zeros((rows, chunks), most.dtype)
        allowed += int(np.count_nonzero(block))
        has_any[start : start + n] = most.max(axis=1) > 0
        ids = np.arange(start, start + n, dtype=np.int64)[:, None]
        keys = tie_keys(most, ids, np.arange(chunks)[None, :])
        best = top_per_row(most, keys, count)  # the chunks holding the row's best pairs
        where = np.maximum(best, 0)
        within = by_chunk[np.arange(n)[:, None], where].reshape(n, -1)
        within[np.repeat(best < 0, CHUNK, axis=1)] = 0
        col = (where[:, :, None] * CHUNK + np.arange(CHUNK)).reshape(n, -1)
        keys = tie_keys(within, ids, col)
        pick = top_per_row(within, keys, count)
        row_of, k = cells(pick >= 0)
        chosen = pick[row_of, k]
        found.append((start + row_of, col[row_of, chosen], within[row_of, chosen].astype(np.int64)))
        within[row_of, chosen] = 0  # the rest of those chunks: the bound of unlisted pairs
        rest = within.reshape(n, -1, CHUNK).max(axis=2)
        np.put_along_axis(
            most, where, np.where(best >= 0, rest, most[np.arange(n)[:, None], where]), 1
        )
        bound[start : start + n] = most
    if bound is None:
        bound = np.zeros((rows, chunks), np.int64)
    column_bound = np.concatenate(by_column) if by_column else np.zeros((0, cols), np.int64)
    row, col, cost = joined(found)
    return Scan(row, col, cost, bound, column_bound, has_any, allowed)


def column_candidates(
    source: CostSource, column_bound: npt.NDArray[np.integer], room: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """Each mentor's ``PER_SLOT`` times its capacity best mentees (ties spread), so no
    mentor's room goes unseen by the first solve."""
    found = []
    step = max(1, BLOCK // max(column_bound.shape[0], 1))  # mentors at a time
    for per in np.unique(room[room > 0]).tolist():
        mine = np.flatnonzero(room == per)
        best = np.concatenate(
            [
                _best_chunks(column_bound, mine[at : at + step], PER_SLOT * per)
                for at in range(0, len(mine), step)
            ]
        )
        col_of, k = cells(best >= 0)
        row = (best[col_of, k][:, None] * CHUNK + np.arange(CHUNK)).reshape(-1)
        col = np.repeat(mine[col_of], CHUNK)
        real = row < source.rows
        row, col = row[real], col[real]
        cost = source.pairs(row, col)
        keep = cost > 0
        row, col, cost = row[keep], col[keep], cost[keep]
        order = by_row_best_first(col, cost * SPREAD + spread(row, col))
        row, col, cost = row[order], col[order], cost[order]
        rank = rank_in_runs(col)
        first = rank < PER_SLOT * per
        found.append((row[first], col[first], cost[first]))
    return joined(found)


def _best_chunks(column_bound: npt.NDArray[np.integer], mine: IntArray, count: int) -> IntArray:
    """Per column of ``mine``: the ``count`` chunks of rows holding its best costs."""
    most = column_bound[:, mine].T  # mentors x chunks of rows
    keys = tie_keys(most, np.arange(most.shape[1])[None, :], mine[:, None])
    return top_per_row(most, keys, count)


def by_row_best_first(row: IntArray, key: IntArray) -> IntArray:
    """The order that sorts by ``row``, then by ``key`` highest first (stable): one sort
    of a combined key where both fit, not two."""
    fits = len(key) and int(np.abs(key).max()) < 2**38
    if fits and int(row.min()) >= 0 and int(row.max()) < 2**23:
        return np.argsort(row * 2**40 + (2**39 - key), kind="stable")
    return np.lexsort((-key, row))


def rank_in_runs(values: IntArray) -> IntArray:
    """Each position's rank within its run of equal ``values`` (sorted): 0, 1, ..."""
    at = np.arange(len(values))
    starts = np.ones(len(values), bool)
    np.not_equal(values[1:], values[:-1], out=starts[1:])
    return at - np.maximum.accumulate(np.where(starts, at, 0))


def joined(
    parts: list[tuple[IntArray, IntArray, IntArray]],
) -> tuple[IntArray, IntArray, IntArray]:
    if not parts:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    return tuple(np.concatenate([p[k] for p in parts]) for k in range(3))  # type: ignore[return-value]
