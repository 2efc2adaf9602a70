"""The dual check over every allowed mentee/mentor pair.

Solving on all allowed pairs (5,000 mentees x 1,000 mentors: 2.6 million arcs) is what
made mentorship rounds slow, though a mentee ends up with one of its best few mentors
almost always. So the flow is solved on candidates (:mod:`pairing.mentor_scan`), which
also leaves, per mentee and chunk of ``CHUNK`` mentors, the highest cost of a pair not
listed: a bound ``M[e, k]``.

After a flow solve on the candidates (:mod:`pairing.b_matching`), a pair (e, r) could
still improve it only if ``c + d[r] > d[e]``. :func:`improving` checks that for every
allowed pair: with ``c <= M[e, k]`` and ``d[r] <= max d`` over the chunk, most chunks
are cleared by their bound alone; the pairs of the others have their costs computed
exactly and checked (a whole block of rows at once when many chunks are in doubt).
Pairs that pass are added -- on small instances with the near-tight ones, which saves
solves -- and the flow solved again. When none is left, the assignment is optimal over
all allowed pairs (LP duality, integer costs: no tolerance), and the potentials are the
certificate.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from pairing.mentor_blocks import CHUNK, Costs, CostSource, cells, within_rows
from pairing.mentor_scan import BLOCK, SPREAD, by_row_best_first, joined, rank_in_runs, spread

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ADD_PER_MENTEE = 12  # improving pairs a mentee adds per check: 100k x 20k takes 5 flow
# solves, not 7 (4 per mentee; 8, 16 and 24 also 5, on more pairs), 20k x 4k 5, not 6
ADD_NEAR = 8  # with near-tight pairs (small instances): 5k x 1k takes 4 solves (seeds 1-3;
# with 4 pairs: 4, 6 and 7)
NEAR_ENTRIES = 1 << 24  # up to this many pairs, near-tight pairs are added too: a flow
# solve then costs more than the pricing pass, and they save solves (5k x 1k: 4, not 6-8);
# at 20k x 4k they do not, and the pass listing them costs more than it saves
MARGIN_PART = 64  # near-tight: reduced cost within 1/64 of the highest candidate cost (1/16:
# 4 times the near-tight pairs to list, 10-25% slower at 5k x 1k for the same solves)
NEAR_PER_ROW = 1024  # near-tight pairs a block may list per row before only improving ones
MANY_PER_ROW = 256  # improving pairs per row beyond which (no margin) only each row's best
WHOLE_BLOCK = 32  # check a block whole when more than 1 in this many chunks is in doubt:
# recomputing a block costs a few ns a pair, checking pairs one by one 100-300 ns
MAX_ROUNDS = 60
FEW_LEFT = 10  # improving pairs at most 1 in this many of the rows: the next solve on the
# tight pairs only (5k x 1k: 29,000 of 93,000 pairs)
FEW_ROWS = 3  # large instances: at most 1 row in this many with an improving pair (100k x
# 20k: 48.1 s, not 55.5; small ones take 6 solves that way, not 4, of 25 ms or more each)
TOP_PER_TYPE = 64  # columns kept per mentee type: each mentee adds its best unlisted ones
FEWER_TYPES = 2  # rows priced by type only when they have at most half as many types
LOWEST = -(1 << 60)


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
    ``margin`` (``ADD_NEAR`` with one: near-tight pairs too, the next solve's potentials
    will differ), with their costs.

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
        row, chunk = cells(doubt)
        if len(row) == 0:
            continue
        if len(row) * WHOLE_BLOCK > part.size:
            block = source.block(start, stop)
            rows = np.arange(start, stop)
            count, picked = _block_check(block, rows, listed, mentee, mentor, margin)
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
        found.append(_most_violating(row[keep], col[keep], cost[keep], slack[keep], margin))
    return strict, joined(found)


def improving_rows(
    source: CostSource,
    rows: IntArray,
    listed: IntArray,
    mentee: IntArray,
    mentor: IntArray,
    margin: int = 0,
    by_type: tuple[Callable[[IntArray], Costs], IntArray] | None = None,
) -> tuple[int, tuple[IntArray, IntArray, IntArray]]:
    """:func:`improving` on ``rows`` (sorted) only: the rows that a bound
    (:mod:`pairing.mentor_types`) could not clear, their costs computed whole.

    ``by_type``: the costs before exclusions and the type of each row, mentees of one
    type sharing those costs. Where the rows have far fewer types, one row per type is
    computed and its columns above the lowest potential of its rows kept (the best
    ``TOP_PER_TYPE`` of them under the potentials where there are more); each
    mentee takes its best unlisted pairs among them, their exact costs looked up, and
    only a mentee whose improving pairs there are all excluded has its whole row
    checked. A mentee whose best pair does not improve has none (costs before
    exclusions bound the others), so the count is 0 exactly when none is left."""
    cols = source.cols
    if by_type is not None and len(rows):
        kinds, first, inverse = np.unique(by_type[1][rows], return_index=True, return_inverse=True)
        if len(kinds) * FEWER_TYPES <= len(rows):
            lead, inverse = rows[first], inverse.reshape(-1)
            width = min(TOP_PER_TYPE, cols)
            top_col = np.zeros((len(kinds), width), np.int64)
            top_value = np.full((len(kinds), width), LOWEST, np.int64)
            # only columns above the lowest potential of a type's rows can be taken
            floor = np.full(len(kinds), -LOWEST, np.int64)
            np.minimum.at(floor, inverse, mentee[rows] - margin)
            step = max(1, BLOCK // cols)
            for at in range(0, len(lead), step):
                cost = by_type[0](lead[at : at + step])
                # int32 where it holds every value: half the memory each pass reads
                narrow = cost.dtype.itemsize <= 2 and _span(mentor) < (1 << 30)
                kind: type[np.signedinteger] = np.int32 if narrow else np.int64
                low = np.iinfo(kind).min + 1  # negated, still in range
                value: npt.NDArray[np.signedinteger] = cost.astype(kind)
                value += mentor.astype(kind)[None, :]
                value[cost <= 0] = low
                # a type's columns above its floor: all of them where few (most types,
                # no partition of the whole row), else the best TOP_PER_TYPE
                above = floor[at : at + step].clip(low, np.iinfo(kind).max).astype(kind)
                over = value > above[:, None]
                count = np.count_nonzero(over, axis=1)
                few = np.flatnonzero(count <= width)  # all of them kept: no partition
                line, col = cells(over[few])
                line = few[line]
                rank = rank_in_runs(line)
                top_col[at + line, rank] = col
                top_value[at + line, rank] = value[line, col]
                many = np.flatnonzero(count > width)
                if len(many):
                    part = np.argpartition(-value[many], width - 1, axis=1)[:, :width]
                    top_col[at + many] = part
                    top_value[at + many] = np.take_along_axis(value[many], part, axis=1)
            slack = top_value[inverse] - mentee[rows][:, None]
            local, k = cells((top_value[inverse] > LOWEST) & (slack > -margin))
            row, col = rows[local], top_col[inverse[local], k]
            fresh = ~_listed(listed, row * cols + col)
            row, col = row[fresh], col[fresh]
            cost = source.pairs(row, col)
            gap = cost + mentor[col] - mentee[row]
            fit = (cost > 0) & (gap > -margin)
            row, col, cost, gap = row[fit], col[fit], cost[fit], gap[fit]
            doubt = rows[slack.max(axis=1, initial=LOWEST) > 0]
            hidden = np.setdiff1d(doubt, row[gap > 0])  # improving pairs there excluded
            more, picked = improving_rows(source, hidden, listed, mentee, mentor, margin)
            found = joined([_most_violating(row, col, cost, gap, margin), picked])
            return int(np.count_nonzero(gap > 0)) + more, found
    found_rows: list[tuple[IntArray, IntArray, IntArray]] = []
    strict = 0
    step = max(1, BLOCK // cols)
    for at in range(0, len(rows), step):
        part = rows[at : at + step]
        count, picked = _block_check(source.rows_at(part), part, listed, mentee, mentor, margin)
        strict += count
        found_rows.append(picked)
    return strict, joined(found_rows)


def _block_check(
    block: npt.NDArray[np.integer],
    rows: IntArray,
    listed: IntArray,
    mentee: IntArray,
    mentor: IntArray,
    margin: int,
) -> tuple[int, tuple[IntArray, IntArray, IntArray]]:
    """:func:`improving` on the costs of ``rows`` (sorted): how many unlisted pairs have
    a negative reduced cost, and the pairs to add (near-tight ones only when few)."""
    n, cols = block.shape
    reach = _span(mentee) + _span(mentor) + margin + int(block.max(initial=0))
    kind: type[np.signedinteger] = np.int64
    for narrow in (np.int16, np.int32):  # half the memory traffic: slack cannot overflow
        if reach < np.iinfo(narrow).max:
            kind = narrow
            break
    slack: npt.NDArray[np.signedinteger] = block.astype(kind)
    slack += mentor.astype(kind)[None, :]
    slack -= mentee[rows].astype(kind)[:, None]
    local, mine = within_rows(listed, rows, cols)
    near = slack > -margin
    near &= block > 0
    near[local, mine % cols] = False  # listed: never added
    better = near & (slack > 0) if margin else near
    strict = int(np.count_nonzero(better))
    if margin and np.count_nonzero(near) > NEAR_PER_ROW * n:
        near = better  # too many near-tight pairs to list: only those that improve
    if not margin and strict > MANY_PER_ROW * n:  # many improve: each row's best only
        lowest = np.iinfo(kind).min
        best = np.where(near, slack, lowest).max(axis=1)
        near &= slack >= best[:, None]
    row, col = cells(near)
    cost = block[row, col].astype(np.int64)
    return strict, _most_violating(rows[row], col, cost, slack[row, col].astype(np.int64), margin)


def _most_violating(
    row: IntArray, col: IntArray, cost: IntArray, slack: IntArray, margin: int
) -> tuple[IntArray, IntArray, IntArray]:
    """Each row's ``ADD_PER_MENTEE`` pairs of highest slack (``ADD_NEAR`` with a
    ``margin``; ties spread)."""
    order = by_row_best_first(row, slack * SPREAD + spread(row, col))
    row, col, cost = row[order], col[order], cost[order]
    rank = rank_in_runs(row)
    first = rank < (ADD_NEAR if margin else ADD_PER_MENTEE)
    return row[first], col[first], cost[first]


def _span(values: IntArray) -> int:
    return int(np.abs(values).max()) if len(values) else 0


def _listed(keys: IntArray, queries: IntArray) -> BoolArray:
    at = np.minimum(np.searchsorted(keys, queries), max(len(keys) - 1, 0))
    return keys[at] == queries if len(keys) else np.zeros(len(queries), bool)
