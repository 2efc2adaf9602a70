"""The dual check by mentee type: the best reduced cost of every mentee without its row.

A mentee's cost to mentor r is ``goal * |g & skills(r)| + hours[h, r]`` where the
mentee's goals g cover any of the mentor's skills (:mod:`pairing.mentor_blocks`; ``h``
is the mentee's (working hours, seniority) key, of which a round has few). Under mentor
potentials ``d``, the most a mentee of type (g, h) can reach,
``V(g, h) = max_r cost + d[r]``, is exactly

    ``max over non-empty S within g of  goal * |S| + W(h, S)``,
    ``W(h, S) = max over mentors r whose skills hold all of S of  hours[h, r] + d[r]``

(a mentor r with ``S = g & skills(r)`` reaches its cost there; any other mentor holding
S covers at least |S| goals, so it never exceeds ``V``). The sets S are the subsets of
the mentees' goal sets (1-3 goals each: a few thousand), and the mentors holding each
one are listed once: a few hundred thousand (S, mentor) pairs at 20,000 mentors. So a
dual check costs ``hours keys x pairs`` instead of ``mentees x mentors`` (40 x 0.8
million instead of 2 billion at 100k x 20k). A mentee with ``V <= d[mentee]`` cannot
improve the flow with any mentor; only the others have their rows computed
(:mod:`pairing.mentor_pricing`). ``V`` is an upper bound where exclusions (reporting
line, same team, earlier pairs) or a cost clipped at 0 apply: those mentees are merely
checked row by row, so the check stays exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

from pairing.mentor_blocks import BlockCosts, Costs, cells

IntArray = npt.NDArray[np.int64]
MAX_SUBSETS = 1 << 16  # distinct goal subsets beyond which the rows are checked instead
MAX_PAIRS = 1 << 24  # (subset, mentor) pairs beyond which too
MAX_WORK = 1 << 28  # hours keys x pairs beyond which too (one pass costs more than rows)
BATCH = 1 << 22  # entries per batch of hours keys x pairs
LOWEST = -(1 << 60)


@dataclass(frozen=True, slots=True)
class TypeBound:
    """Mentee types and the (goal subset, mentor) pairs that bound their best values."""

    type_of: IntArray  # per row
    type_start: IntArray  # per type: where its subsets start in ``type_subset``
    type_subset: IntArray  # the goal subsets of each type, type by type
    type_hours: IntArray  # beside each: the type's hours key (row of ``hours``)
    empty: IntArray  # types with no goal
    subset_gain: IntArray  # per subset: goal * its size
    pair_col: IntArray  # mentors holding each subset, subset by subset
    pair_start: IntArray  # per subset holding any mentor: its first pair
    filled: IntArray  # the subsets holding any mentor
    subsets: int
    hours: Costs  # hours keys x columns: hours plus seniority terms

    @classmethod
    def of(cls, source: BlockCosts, columns: npt.NDArray[np.bool_]) -> TypeBound | None:
        """The bound over ``columns`` (the mentors that may take anyone), or ``None``
        when the costs have no such structure to use (many hours keys, many goals)."""
        if source.hours_table is None or source.scale.goal < 0 or source.rows == 0:
            return None
        bits = np.unpackbits(source.goal_sets.view(np.uint8), axis=1, bitorder="little")
        skills = np.unpackbits(source.skills.view(np.uint8), axis=1, bitorder="little")
        index: dict[tuple[int, ...], int] = {}
        starts, members = [0], []
        for row in bits:
            goals = np.flatnonzero(row).tolist()
            if len(goals) > 12:
                return None
            for size in range(1, len(goals) + 1):
                for subset in combinations(goals, size):
                    members.append(index.setdefault(subset, len(index)))
            starts.append(len(members))
            if len(index) > MAX_SUBSETS:
                return None
        listed = list(index)
        pair_sub, pair_col = _holders(listed, skills.T.astype(bool), columns)
        hours_keys = source.hours_table.shape[0]
        if len(pair_col) > MAX_PAIRS or hours_keys * len(pair_col) > MAX_WORK:
            return None
        filled, pair_start = np.unique(pair_sub, return_index=True)
        kinds, type_of = np.unique(
            source.goal_set * hours_keys + source.row_key.reshape(-1), return_inverse=True
        )
        goal_of, type_hours = kinds // hours_keys, kinds % hours_keys
        first = np.asarray(starts, np.int64)
        count = first[goal_of + 1] - first[goal_of]
        type_start = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
        at = np.repeat(first[goal_of] - type_start, count) + np.arange(int(count.sum()))
        sizes = np.array([len(s) for s in listed], np.int64)
        return cls(
            type_of.reshape(-1).astype(np.int64),
            type_start,
            np.asarray(members, np.int64)[at],
            np.repeat(type_hours, count).astype(np.int64),
            np.flatnonzero(count == 0),
            source.scale.goal * sizes,
            pair_col,
            pair_start.astype(np.int64),
            filled.astype(np.int64),
            len(listed),
            source.hours_table,
        )

    def best(self, mentor: IntArray) -> IntArray:
        """Per row: an upper bound on ``cost + mentor[col]`` over its allowed pairs
        (exact where no exclusion applies)."""
        keys = self.hours.shape[0]
        reach = np.full((keys, self.subsets), LOWEST, np.int64)
        step = max(1, BATCH // max(len(self.pair_col), 1))
        lift = mentor[self.pair_col]
        for at in range(0, keys, step):
            values = self.hours[at : at + step][:, self.pair_col].astype(np.int64)
            values += lift[None, :]
            if len(self.filled):
                reach[at : at + step, self.filled] = np.maximum.reduceat(
                    values, self.pair_start, axis=1
                )
        value = self.subset_gain[self.type_subset] + reach[self.type_hours, self.type_subset]
        value = np.append(value, LOWEST)  # types with no goal: nothing is allowed
        per_type = np.maximum.reduceat(value, self.type_start)
        per_type[self.empty] = LOWEST
        result: IntArray = per_type[self.type_of]
        return result


def _holders(
    subsets: list[tuple[int, ...]], holds: npt.NDArray[np.bool_], columns: npt.NDArray[np.bool_]
) -> tuple[IntArray, IntArray]:
    """(subset, column) of every column among ``columns`` whose skills hold all of the
    subset (``holds``: skill x column), sorted by subset then column."""
    found_sub, found_col = [], []
    by_size: dict[int, list[int]] = {}
    for k, s in enumerate(subsets):
        by_size.setdefault(len(s), []).append(k)
    holds = holds & columns[None, :]
    for size, ids in sorted(by_size.items()):
        goals = np.array([subsets[k] for k in ids], np.int64).reshape(len(ids), size)
        step = max(1, (1 << 24) // max(holds.shape[1] * size, 1))
        for at in range(0, len(ids), step):
            mask = holds[goals[at : at + step, 0]]
            for j in range(1, size):
                mask = mask & holds[goals[at : at + step, j]]
            sub, col = cells(mask)
            found_sub.append(np.asarray(ids, np.int64)[at + sub])
            found_col.append(col.astype(np.int64))
    if not found_sub:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    sub, col = np.concatenate(found_sub), np.concatenate(found_col)
    order = np.lexsort((col, sub))
    return sub[order], col[order]
