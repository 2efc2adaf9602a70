"""Candidate mentors, and the dual check over every allowed pair with one pass of costs.

Solving on all allowed pairs (5,000 mentees x 1,000 mentors: 2.6 million arcs) is what
made mentorship rounds slow, though a mentee ends up with one of its best few mentors
almost always. :func:`scan` goes once over every pair's cost (a block of rows at a time,
:mod:`pairing.mentor_blocks`) and keeps, per mentee, its ``CANDIDATES`` best mentors
(ties spread by a fixed hash, or every mentee would list the same few) and, per chunk of
``CHUNK`` mentors, the highest cost of a pair *not* kept: a bound ``M[e, k]``.

After a flow solve on the candidates (:mod:`pairing.b_matching`), a pair (e, r) could
still improve it only if ``c + d[r] > d[e]``. :func:`improving` checks that for every
allowed pair: with ``c <= M[e, k]`` and ``d[r] <= max d`` over the chunk, most chunks
are cleared by their bound alone; the pairs of the others have their costs computed
exactly and checked. Pairs that pass are added and the flow solved again. When none is
left, the assignment is optimal over all allowed pairs (LP duality, integer costs: no
tolerance), and the potentials are the certificate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pairing.mentor_blocks import CHUNK, CostSource

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
CANDIDATES = 6
PER_SLOT = 1
ADD_PER_MENTEE = 4
NEAR_ENTRIES = 1 << 24  # up to this many pairs, near-tight pairs are added too: a flow
# solve then costs more than the pricing pass, and they save solves (5k x 1k: 4, not 7);
# at 20k x 4k they do not, and the pass listing them costs more than it saves
MARGIN_PART = 16  # near-tight: reduced cost within 1/16 of the highest candidate cost
NEAR_PER_ROW = 1024  # near-tight pairs a block may list per row before only improving ones
MANY_PER_ROW = 256  # improving pairs per row beyond which (no margin) only each row's best
WHOLE_BLOCK = 32  # check a block whole when more than 1 in this many chunks is in doubt:
# recomputing a block costs a few ns a pair, checking pairs one by one 100-300 ns
MAX_ROUNDS = 60
BLOCK = 1 << 22  # cost entries per block of rows
SPREAD = 8  # tie-breaking hash values 0..SPREAD-1, below one unit of cost


def spread(rows: IntArray, cols: IntArray) -> IntArray:
    """A fixed hash of (row, column) in ``0..SPREAD-1``: breaks ties, never the seed."""
    mixed = (rows.astype(np.uint32) * np.uint32(2654435761)) ^ (
        cols.astype(np.uint32) * np.uint32(40503)
    )
    return ((mixed >> np.uint32(7)) & np.uint32(SPREAD - 1)).astype(np.int64)


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


def top_per_row(values: npt.NDArray[np.integer], keys: IntArray, count: int) -> IntArray:
    """Positions (per row) of the ``count`` highest ``keys`` among positive ``values``;
    rows x count, -1 where fewer."""
    count = min(count, values.shape[1])
    if count == 0:
        return np.zeros((values.shape[0], 0), np.int64)
    top = np.argpartition(-keys, count - 1, axis=1)[:, :count]
    return np.where(np.take_along_axis(values, top, axis=1) > 0, top, -1)


def scan(source: CostSource, count: int = CANDIDATES) -> Scan:
    """One pass over every cost: candidates and bounds (see the module doc)."""
    rows, cols, chunks = source.rows, source.cols, source.cols // CHUNK
    step = max(1, BLOCK // cols // CHUNK) * CHUNK
    found: list[tuple[IntArray, IntArray, IntArray]] = []
    bound, has_any, allowed = None, np.zeros(rows, bool), 0
    by_column = []
    for start in range(0, rows, step):
        block = source.block(start, min(rows, start + step))
        n = len(block)
        whole = block if n % CHUNK == 0 else np.pad(block, ((0, CHUNK - n % CHUNK), (0, 0)))
        by_column.append(whole.reshape(-1, CHUNK, cols).max(axis=1))
        cells = block.reshape(n, chunks, CHUNK)
        most = cells.max(axis=2)
        if bound is None:
            bound = np.zeros((rows, chunks), most.dtype)
        allowed += int(np.count_nonzero(block))
        has_any[start : start + n] = most.max(axis=1) > 0
        ids = np.arange(start, start + n, dtype=np.int64)[:, None]
        keys = most.astype(np.int64) * SPREAD + spread(ids, np.arange(chunks)[None, :])
        best = top_per_row(most, keys, count)  # the chunks holding the row's best pairs
        where = np.maximum(best, 0)
        within = cells[np.arange(n)[:, None], where].reshape(n, -1)
        within[np.repeat(best < 0, CHUNK, axis=1)] = 0
        col = (where[:, :, None] * CHUNK + np.arange(CHUNK)).reshape(n, -1)
        keys = within.astype(np.int64) * SPREAD + spread(ids, col)
        pick = top_per_row(within, keys, count)
        row_of, k = np.nonzero(pick >= 0)
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
    row, col, cost = _joined(found)
    return Scan(row, col, cost, bound, column_bound, has_any, allowed)


def column_candidates(
    source: CostSource, column_bound: npt.NDArray[np.integer], room: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """Each mentor's ``PER_SLOT`` times its capacity best mentees (ties spread), so no
    mentor's room goes unseen by the first solve."""
    found = []
    for per in np.unique(room[room > 0]).tolist():
        mine = np.flatnonzero(room == per)
        most = column_bound[:, mine].T  # mentors x chunks of rows
        ids = mine[:, None]
        keys = most.astype(np.int64) * SPREAD + spread(np.arange(most.shape[1])[None, :], ids)
        best = top_per_row(most, keys, PER_SLOT * per)
        col_of, k = np.nonzero(best >= 0)
        row = (best[col_of, k][:, None] * CHUNK + np.arange(CHUNK)).reshape(-1)
        col = np.repeat(mine[col_of], CHUNK)
        real = row < source.rows
        row, col = row[real], col[real]
        cost = source.pairs(row, col)
        keep = cost > 0
        row, col, cost = row[keep], col[keep], cost[keep]
        key = cost * SPREAD + spread(row, col)
        order = np.lexsort((-key, col))
        row, col, cost = row[order], col[order], cost[order]
        rank = np.arange(len(col)) - np.searchsorted(col, col)
        first = rank < PER_SLOT * per
        found.append((row[first], col[first], cost[first]))
    return _joined(found)


def improving(
    source: CostSource,
    bound: npt.NDArray[np.integer],
    listed: IntArray,
    mentee: IntArray,
    mentor: IntArray,
    margin: int = 0,
) -> tuple[int, tuple[IntArray, IntArray, IntArray]]:
    """How many allowed pairs not ``listed`` (sorted keys ``row * cols + col``) have a
    negative reduced cost (0: the potentials certify the assignment over every allowed
    pair), and pairs to add: each mentee's ``ADD_PER_MENTEE`` lowest reduced costs below
    ``margin`` (near-tight pairs too: the next solve's potentials will differ), with
    their costs.

    Chunks whose bound clears them are skipped; the pairs of the others are checked one
    by one, or, where most chunks of a block of rows are in doubt, the whole block."""
    top = mentor.reshape(-1, CHUNK).max(axis=1) + margin
    found: list[tuple[IntArray, IntArray, IntArray]] = []
    strict = 0
    step = max(1, BLOCK // source.cols)
    for start in range(0, source.rows, step):
        stop = min(start + step, source.rows)
        part = bound[start:stop]
        doubt = (part > 0) & (part + top[None, :] > mentee[start:stop, None])
        row, chunk = np.nonzero(doubt)
        if len(row) == 0:
            continue
        if len(row) * WHOLE_BLOCK > part.size:
            block = source.block(start, stop)
            count, picked = _block_check(block, start, listed, mentee, mentor, margin)
            strict += count
            found.append(picked)
            continue
        row = np.repeat(start + row, CHUNK)
        col = (chunk[:, None] * CHUNK + np.arange(CHUNK)).reshape(-1)
        cost = source.pairs(row, col)
        slack = cost + mentor[col] - mentee[row]
        keep = (cost > 0) & (slack > -margin)
        keep[keep] = ~_listed(listed, row[keep] * source.cols + col[keep])
        strict += int(np.count_nonzero(keep & (slack > 0)))
        found.append(_most_violating(row[keep], col[keep], cost[keep], slack[keep]))
    return strict, _joined(found)


def _block_check(
    block: npt.NDArray[np.integer],
    start: int,
    listed: IntArray,
    mentee: IntArray,
    mentor: IntArray,
    margin: int,
) -> tuple[int, tuple[IntArray, IntArray, IntArray]]:
    """:func:`improving` on a whole block of rows: how many unlisted pairs have a
    negative reduced cost, and the pairs to add (near-tight ones only when few)."""
    n, cols = block.shape
    wide = max(_span(mentee), _span(mentor)) + margin < 2**29
    kind: type[np.signedinteger] = np.int32 if wide else np.int64
    slack: npt.NDArray[np.signedinteger] = block.astype(kind)
    slack += mentor.astype(kind)[None, :]
    slack -= mentee[start : start + n].astype(kind)[:, None]
    lo, hi = np.searchsorted(listed, [start * cols, (start + n) * cols])
    mine = listed[lo:hi] - start * cols
    near = slack > -margin
    near &= block > 0
    near[mine // cols, mine % cols] = False  # listed: never added
    better = near & (slack > 0) if margin else near
    strict = int(np.count_nonzero(better))
    if margin and np.count_nonzero(near) > NEAR_PER_ROW * n:
        near = better  # too many near-tight pairs to list: only those that improve
    if not margin and strict > MANY_PER_ROW * n:  # many improve: each row's best only
        lowest = np.iinfo(kind).min
        best = np.where(near, slack, lowest).max(axis=1)
        near &= slack >= best[:, None]
    row, col = np.nonzero(near)
    cost = block[row, col].astype(np.int64)
    return strict, _most_violating(start + row, col, cost, slack[row, col].astype(np.int64))


def _most_violating(
    row: IntArray, col: IntArray, cost: IntArray, slack: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """Each row's ``ADD_PER_MENTEE`` pairs of highest slack (ties spread)."""
    key = slack * SPREAD + spread(row, col)
    if len(key) and int(np.abs(key).max()) < 2**38 and int(row.max()) < 2**23:
        order = np.argsort(row * 2**40 + (2**39 - key), kind="stable")  # one sort, not two
    else:
        order = np.lexsort((-key, row))
    row, col, cost = row[order], col[order], cost[order]
    rank = np.arange(len(row)) - np.searchsorted(row, row)
    first = rank < ADD_PER_MENTEE
    return row[first], col[first], cost[first]


def _span(values: IntArray) -> int:
    return int(np.abs(values).max()) if len(values) else 0


def _listed(keys: IntArray, queries: IntArray) -> BoolArray:
    at = np.minimum(np.searchsorted(keys, queries), max(len(keys) - 1, 0))
    return keys[at] == queries if len(keys) else np.zeros(len(queries), bool)


def _joined(
    parts: list[tuple[IntArray, IntArray, IntArray]],
) -> tuple[IntArray, IntArray, IntArray]:
    if not parts:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    return tuple(np.concatenate([p[k] for p in parts]) for k in range(3))  # type: ignore[return-value]
