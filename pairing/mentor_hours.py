"""The hours term of a block of mentorship costs: shared working minutes, element-wise.

Windows are intervals on the 24-hour circle (:mod:`pairing.hours`): the overlap of two
of them is a sum over three shifts of the day. On a clock turned to start at the minute
when the fewest people work, almost no window runs past its midnight, and the overlap
of two windows that do not is one ``min(ends) - max(starts)``: two passes over the
block in 16-bit integers. The few windows that do run past it (night shifts, 24-hour
availability) get the full formula, on their rows and columns only. Every value is an
integer number of minutes, so odd minutes change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pairing.hours import overlap_minutes_arrays
from pairing.mentor_costs import CostScale
from pairing.models import MINUTES_PER_DAY
from pairing.options import Weights
from pairing.table import MemberTable

IntArray = npt.NDArray[np.int64]
Day = MINUTES_PER_DAY


@dataclass(frozen=True, slots=True)
class Side:
    """Windows of one side: UTC ``start``/``length``, and on the turned clock ``begin``
    and ``end`` (int16) and which ones run past its midnight (``wraps``)."""

    start: IntArray
    length: IntArray
    begin: npt.NDArray[np.int16]
    end: npt.NDArray[np.int16]
    wraps: IntArray

    @classmethod
    def of(cls, start: IntArray, length: IntArray, turn: int) -> Side:
        begin = (start - turn) % Day
        end = begin + length
        wraps = np.flatnonzero(end > Day)
        return cls(start, length, begin.astype(np.int16), end.astype(np.int16), wraps)


@dataclass(frozen=True, slots=True)
class Clock:
    """Mentee (row) and mentor (column) windows on a clock turned by ``turn`` minutes;
    ``row_window``: a code per row, equal for equal windows."""

    turn: int
    row: Side
    col: Side
    row_window: IntArray

    @classmethod
    def of(cls, table: MemberTable, mentees: IntArray, mentors: IntArray, pad: int) -> Clock:
        start = np.concatenate(
            [table.start[mentees], table.start[mentors], np.zeros(pad, np.int64)]
        )
        length = np.concatenate(
            [table.length[mentees], table.length[mentors], np.zeros(pad, np.int64)]
        )
        turn = quietest_minute(start, length)
        n = len(mentees)
        window = np.unique(start[:n] * (2 * Day) + length[:n], return_inverse=True)[1]
        return cls(
            turn,
            Side.of(start[:n], length[:n], turn),
            Side.of(start[n:], length[n:], turn),
            window.reshape(-1).astype(np.int64),
        )


def quietest_minute(start: IntArray, length: IntArray) -> int:
    """The minute of the UTC day inside the fewest windows."""
    change = np.zeros(2 * Day + 1, np.int64)
    np.add.at(change, start, 1)
    np.add.at(change, start + length, -1)
    inside = np.cumsum(change)[: 2 * Day]
    per_minute = inside[:Day] + inside[Day:]
    return int(np.argmin(per_minute))


def overlap_block(clock: Clock, rows: IntArray) -> npt.NDArray[np.int16]:
    """Shared minutes of ``rows`` x every column (negative where none)."""
    r, c = clock.row, clock.col
    minutes = np.minimum(r.end[rows][:, None], c.end[None, :])
    minutes -= np.maximum(r.begin[rows][:, None], c.begin[None, :])
    if len(c.wraps):
        exact = overlap_minutes_arrays(
            r.start[rows][:, None], r.length[rows][:, None], c.start[c.wraps], c.length[c.wraps]
        )
        minutes[:, c.wraps] = exact
    local = np.flatnonzero(np.isin(rows, r.wraps)) if len(r.wraps) else np.zeros(0, np.int64)
    if len(local):
        at = rows[local][:, None]
        minutes[local] = overlap_minutes_arrays(r.start[at], r.length[at], c.start, c.length)
    return minutes


def hours_terms(
    clock: Clock, rows: IntArray, scale: CostScale, weights: Weights, dtype: type[np.integer]
) -> npt.NDArray[np.integer]:
    """``minute * min(shared, full)``, or ``-penalty`` where there is no shared minute,
    for ``rows`` x every column (as :func:`pairing.mentor_costs.mentorship_costs`)."""
    minutes = overlap_block(clock, rows)
    none = minutes <= 0
    np.minimum(minutes, weights.overlap_full_minutes, out=minutes)
    terms = minutes.astype(dtype, copy=dtype is not np.int16)
    if scale.minute != 1:
        terms *= dtype(scale.minute)
    terms[none] = -scale.penalty
    return terms


def hours_pairs(
    clock: Clock, row: IntArray, col: IntArray, scale: CostScale, weights: Weights
) -> IntArray:
    """:func:`hours_terms` of the pairs ``(row[k], col[k])``."""
    r, c = clock.row, clock.col
    minutes = np.minimum(r.end[row], c.end[col]).astype(np.int64)
    minutes -= np.maximum(r.begin[row], c.begin[col])
    odd = (r.end[row] > Day) | (c.end[col] > Day)
    a, b = row[odd], col[odd]
    minutes[odd] = overlap_minutes_arrays(r.start[a], r.length[a], c.start[b], c.length[b])
    full = np.minimum(minutes, weights.overlap_full_minutes)
    terms: IntArray = np.where(minutes > 0, scale.minute * full, -scale.penalty)
    return terms
