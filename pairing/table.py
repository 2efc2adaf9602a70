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
UInt8Array = npt.NDArray[np.uint8]
WORD = 64
MAX_SCORE_TABLE = 1 << 16  # entries of the table of every score (hours x interests x team)
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

    Each term depends on little: hours on the pair of distinct working windows,
    interests on a count up to ``max_shared_interests``, team on whether the teams
    differ and how many of the two prefer that. With few windows every pair's score is
    one entry of a small table of all combinations, each entry the same terms added in
    the same order (equal to :func:`coffee_scores` bit for bit), read once per pair by
    a small integer code; else the terms are added a matrix at a time (from tables read
    a row at a time). Either is a fraction of the general function's time.
    """
    if table.window_overlap is None:
        return coffee_scores(table, rows[:, None], cols[None, :], weights)
    by_window = overlap_terms(table.window_overlap, weights)
    levels = weights.max_shared_interests + 1
    by_count = weights.shared_interest * np.arange(levels)
    by_team = np.concatenate(
        [[0.0], weights.cross_team + weights.prefers_cross_team * np.arange(3)]
    )
    shared = _shared_block(table, rows, cols, weights.max_shared_interests)
    team = _team_block(table, rows, cols)
    windows = len(by_window)
    if windows * windows * levels * 4 <= MAX_SCORE_TABLE and levels * 4 <= 256:
        by_all = by_window.reshape(-1, 1, 1) + by_count.reshape(1, -1, 1)
        by_all = (by_all + by_team.reshape(1, 1, -1)).ravel()
        start = np.arange(windows * windows, dtype=np.int32).reshape(windows, windows)
        code = (start * (levels * 4))[table.window[rows]][:, table.window[cols]]
        shared *= 4
        shared += team
        code += shared
        combined: FloatArray = by_all[code]
        return combined
    result: FloatArray = by_window[table.window[rows]][:, table.window[cols]]
    result += by_count[shared]
    result += by_team[team]
    return result


def _shared_block(table: MemberTable, rows: IntArray, cols: IntArray, most: int) -> UInt8Array:
    """Shared interests of every pair, capped at ``most``."""
    left, right = table.interests[rows], table.interests[cols]
    if left.shape[1] == 1:
        shared: UInt8Array = np.bitwise_count(left[:, 0][:, None] & right[:, 0][None, :])
    else:
        both = np.bitwise_count(left[:, None, :] & right[None, :, :])
        shared = np.minimum(both.sum(axis=-1, dtype=np.int16), most).astype(np.uint8)
    np.minimum(shared, min(most, 255), out=shared)
    return shared


def _team_block(table: MemberTable, rows: IntArray, cols: IntArray) -> UInt8Array:
    """0 for pairs not across teams, else 1 + how many of the two prefer crossing."""
    ti, tj = table.team[rows].astype(np.int32), table.team[cols].astype(np.int32)
    cross = ti[:, None] != tj[None, :]
    cross &= (ti >= 0)[:, None]
    cross &= (tj >= 0)[None, :]
    prefers = table.prefers.astype(np.uint8)
    team: UInt8Array = prefers[rows][:, None] + prefers[cols][None, :]
    team += np.uint8(1)
    team *= cross
    return team


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
