"""Working hours on the UTC clock: how long two (or more) people's days overlap.

A member works from ``work_start`` to ``work_end`` local minutes since midnight; a shift
that ends before it starts runs past midnight. ``utc_offset`` is in minutes east of UTC
(Berlin in summer is +120), so the UTC start is ``work_start - utc_offset``. Windows are
intervals on the 24-hour circle; a window reported as ``(start, end)`` has ``start`` in
``[0, 1440)`` and ``end`` up to a day later, so ``end > 1440`` means it wraps past
midnight UTC.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from pairing.models import MINUTES_PER_DAY, Member

IntArray = npt.NDArray[np.int64]


def utc_window(member: Member) -> tuple[int, int]:
    """The member's working day as ``(utc_start, length)`` in minutes."""
    length = member.work_end - member.work_start
    if length < 0:
        length += MINUTES_PER_DAY
    length = min(max(length, 0), MINUTES_PER_DAY)
    return (member.work_start - member.utc_offset) % MINUTES_PER_DAY, length


def overlap_minutes(a: Member, b: Member) -> int:
    """Minutes of the day during which both work (0 when they never overlap)."""
    (s1, l1), (s2, l2) = utc_window(a), utc_window(b)
    total = 0
    for shift in (-MINUTES_PER_DAY, 0, MINUTES_PER_DAY):
        total += max(0, min(s1 + l1, s2 + l2 + shift) - max(s1, s2 + shift))
    return total


def overlap_minutes_arrays(
    start_a: IntArray, len_a: IntArray, start_b: IntArray, len_b: IntArray
) -> IntArray:
    """Vectorised :func:`overlap_minutes` over arrays of UTC starts and lengths."""
    end_a = start_a + len_a
    total = np.zeros(np.broadcast(start_a, start_b).shape, dtype=np.int64)
    for shift in (-MINUTES_PER_DAY, 0, MINUTES_PER_DAY):
        lo = np.maximum(start_a, start_b + shift)
        hi = np.minimum(end_a, start_b + len_b + shift)
        total += np.maximum(hi - lo, 0)
    return total


def _pair_window(a: Member, b: Member) -> tuple[int, tuple[int, int] | None]:
    (s1, l1), (s2, l2) = utc_window(a), utc_window(b)
    pieces = []
    for shift in (-MINUTES_PER_DAY, 0, MINUTES_PER_DAY):
        lo, hi = max(s1, s2 + shift), min(s1 + l1, s2 + l2 + shift)
        if hi > lo:
            pieces.append((lo % MINUTES_PER_DAY, hi - lo))
    total = sum(length for _, length in pieces)
    if total == 0:
        return 0, None
    if total >= MINUTES_PER_DAY:
        return MINUTES_PER_DAY, (0, MINUTES_PER_DAY)
    # Join pieces that touch across midnight into one stretch.
    pieces.sort()
    merged: list[tuple[int, int]] = []
    for start, length in pieces:
        if merged and merged[-1][0] + merged[-1][1] == start:
            merged[-1] = (merged[-1][0], merged[-1][1] + length)
        else:
            merged.append((start, length))
    if len(merged) > 1 and (merged[-1][0] + merged[-1][1]) % MINUTES_PER_DAY == merged[0][0]:
        merged[0] = (merged[-1][0], merged[-1][1] + merged[0][1])
        merged.pop()
    start, length = max(merged, key=lambda p: (p[1], -p[0]))
    return total, (start, start + length)


def shared_window(members: Sequence[Member]) -> tuple[int, tuple[int, int] | None]:
    """Total minutes all of ``members`` work at once, and the longest such stretch.

    The stretch is returned as a UTC ``(start, end)`` window (see the module doc), or
    ``None`` when there is no common working time.
    """
    if len(members) == 2:
        return _pair_window(members[0], members[1])
    common = np.ones(MINUTES_PER_DAY, dtype=bool)
    for member in members:
        start, length = utc_window(member)
        mask = np.zeros(MINUTES_PER_DAY, dtype=bool)
        idx = (start + np.arange(length)) % MINUTES_PER_DAY
        mask[idx] = True
        common &= mask
    total = int(common.sum())
    if total == 0:
        return 0, None
    if total == MINUTES_PER_DAY:
        return total, (0, MINUTES_PER_DAY)
    # Rotate so the day starts at a free minute; then runs never wrap.
    first_free = int(np.argmin(common))
    rotated = np.roll(common, -first_free)
    padded = np.concatenate(([False], rotated, [False])).astype(np.int8)
    edges = np.diff(padded)
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    runs = [
        ((int(a) + first_free) % MINUTES_PER_DAY, int(b - a))
        for a, b in zip(starts, ends, strict=True)
    ]
    start, length = max(runs, key=lambda p: (p[1], -p[0]))
    return total, (start, start + length)
