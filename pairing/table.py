"""Members as columns of numpy arrays, for scoring many pairs at once.

:func:`coffee_scores` and :func:`mentorship_scores` compute exactly what the public
functions in :mod:`pairing.scoring` compute (same terms, same order of additions), for
arrays of member indices; tests hold the two to equality.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pairing.hours import overlap_minutes_arrays, utc_window
from pairing.models import MINUTES_PER_DAY, Member
from pairing.options import Weights

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
WORD = 64
MAX_DISTINCT_WINDOWS = 1500


def _codes(values: Sequence[str | None]) -> IntArray:
    """Integer code per value; ``None`` is -1."""
    table: dict[str, int] = {}
    return np.array(
        [-1 if v is None else table.setdefault(v, len(table)) for v in values], np.int64
    )


def _bitsets(sets: Sequence[frozenset[str]]) -> npt.NDArray[np.uint64]:
    vocabulary = {word: i for i, word in enumerate(sorted(set().union(*sets)))} if sets else {}
    words = max(1, -(-len(vocabulary) // WORD))
    bits = np.zeros((len(sets), words), dtype=np.uint64)
    for row, items in enumerate(sets):
        for item in items:
            pos = vocabulary[item]
            bits[row, pos // WORD] |= np.uint64(1 << (pos % WORD))
    return bits


def _shared_count(bits_a: npt.NDArray[np.uint64], bits_b: npt.NDArray[np.uint64]) -> IntArray:
    counts: IntArray = np.bitwise_count(bits_a & bits_b).sum(axis=-1).astype(np.int64)
    return counts


@dataclass(frozen=True, slots=True)
class MemberTable:
    """Column view of members, indexed like the (id-sorted) member list."""

    ids: tuple[str, ...]
    start: IntArray
    length: IntArray
    team: IntArray
    department: IntArray
    prefers: IntArray
    interests: npt.NDArray[np.uint64]
    skills: npt.NDArray[np.uint64]
    goals: npt.NDArray[np.uint64]
    seniority: IntArray
    window: IntArray  # index of the member's (start, length) among distinct windows
    window_overlap: IntArray | None  # overlap minutes between distinct windows, if few

    @classmethod
    def of(cls, members: Sequence[Member]) -> MemberTable:
        windows = [utc_window(m) for m in members]
        vocab_sets = [m.skills for m in members] + [m.goals for m in members]
        skill_goal = _bitsets(vocab_sets)
        n = len(members)
        start = np.array([w[0] for w in windows], np.int64).reshape(n)
        length = np.array([w[1] for w in windows], np.int64).reshape(n)
        distinct, window = np.unique(start * 2 * MINUTES_PER_DAY + length, return_inverse=True)
        overlap = None
        if len(distinct) <= MAX_DISTINCT_WINDOWS:
            ds, dl = distinct // (2 * MINUTES_PER_DAY), distinct % (2 * MINUTES_PER_DAY)
            overlap = overlap_minutes_arrays(ds[:, None], dl[:, None], ds[None, :], dl[None, :])
        return cls(
            ids=tuple(m.id for m in members),
            start=start,
            length=length,
            team=_codes([m.team for m in members]),
            department=_codes([m.department for m in members]),
            prefers=np.array([int(m.prefers_cross_team) for m in members], np.int64).reshape(n),
            interests=_bitsets([m.interests for m in members]),
            skills=skill_goal[:n],
            goals=skill_goal[n:],
            seniority=np.array([m.seniority for m in members], np.int64).reshape(n),
            window=window.reshape(n).astype(np.int64),
            window_overlap=overlap,
        )

    def overlap(self, i: IntArray, j: IntArray) -> IntArray:
        """Shared working minutes of the pairs ``(i[k], j[k])``."""
        if self.window_overlap is not None:
            result: IntArray = self.window_overlap[self.window[i], self.window[j]]
            return result
        return overlap_minutes_arrays(self.start[i], self.length[i], self.start[j], self.length[j])


def overlap_terms(minutes: IntArray, weights: Weights) -> FloatArray:
    full = weights.overlap_full_minutes
    positive = weights.overlap * np.minimum(minutes, full) / full
    return np.where(minutes > 0, positive, -weights.no_overlap_penalty)


def coffee_scores(
    table: MemberTable, i: IntArray, j: IntArray, weights: Weights, missed: BoolArray | None = None
) -> FloatArray:
    """:func:`pairing.scoring.coffee_pair_score` for the pairs ``(i[k], j[k])``."""
    hours = overlap_terms(table.overlap(i, j), weights)
    shared = np.minimum(
        _shared_count(table.interests[i], table.interests[j]), weights.max_shared_interests
    )
    interests = weights.shared_interest * shared
    ti, tj = table.team[i], table.team[j]
    cross = (ti >= 0) & (tj >= 0) & (ti != tj)
    wanting = table.prefers[i] + table.prefers[j]
    team = np.where(cross, weights.cross_team + weights.prefers_cross_team * wanting, 0.0)
    missed_term = (
        np.where(missed, weights.missed_last_time, 0.0)
        if missed is not None
        else np.zeros(hours.shape)
    )
    result: FloatArray = hours + interests + team + missed_term
    return result


def coffee_score_block(
    table: MemberTable, rows: IntArray, cols: IntArray, weights: Weights
) -> FloatArray:
    """:func:`coffee_scores` of every pair ``(rows[a], cols[b])`` as a dense matrix,
    without the missed term (the caller adds it to the few pairs it applies to).

    The same terms added in the same order, so equal to :func:`coffee_scores` bit for
    bit, but each term comes from a small table (hours by pair of distinct working
    windows, interests by count, team by who prefers crossing) read a row at a time,
    not one gather per pair: half the time of the general function on a dense block.
    """
    if table.window_overlap is None:
        return coffee_scores(table, rows[:, None], cols[None, :], weights)
    by_window = overlap_terms(table.window_overlap, weights)
    result: FloatArray = by_window[table.window[rows]][:, table.window[cols]]
    left, right = table.interests[rows], table.interests[cols]
    if left.shape[1] == 1:
        shared = np.bitwise_count(left[:, 0][:, None] & right[:, 0][None, :])
    else:
        both = left[:, None, :] & right[None, :, :]
        shared = np.bitwise_count(both).sum(axis=-1, dtype=np.int16)
    np.minimum(shared, weights.max_shared_interests, out=shared)
    result += np.multiply(shared, weights.shared_interest, dtype=np.float64)
    ti, tj = table.team[rows].astype(np.int32), table.team[cols].astype(np.int32)
    cross = ti[:, None] != tj[None, :]
    cross &= (ti >= 0)[:, None]
    cross &= (tj >= 0)[None, :]
    wanting = np.arange(3)
    by_wanting = weights.cross_team + weights.prefers_cross_team * wanting
    prefers = table.prefers
    by_pair = by_wanting[wanting[:2, None] + wanting[None, :2]]  # by who of the two prefers
    result += np.where(cross, by_pair[prefers[rows]][:, prefers[cols]], 0.0)
    return result


def mentorship_scores(
    table: MemberTable, mentor: IntArray, mentee: IntArray, weights: Weights
) -> FloatArray:
    """:func:`pairing.scoring.mentorship_score` for the pairs ``(mentor[k], mentee[k])``."""
    covered = _shared_count(table.goals[mentee], table.skills[mentor])
    goals = weights.goal_covered * covered
    hours = weights.mentorship_overlap_scale * overlap_terms(table.overlap(mentor, mentee), weights)
    cap = weights.max_seniority_steps
    gap = np.clip(table.seniority[mentor] - table.seniority[mentee], -cap, cap)
    result: FloatArray = np.where(covered > 0, goals + hours + weights.seniority_step * gap, 0.0)
    return result
