"""The exact mentorship assignment from any :class:`pairing.mentor_blocks.CostSource`.

One pass over every cost (:func:`pairing.mentor_pricing.scan`), a min-cost flow on the
candidates (:func:`pairing.b_matching.solve`; each solve after the first starts warm from
the one before), then the dual check until no allowed pair can improve the flow: by
mentee type where the costs have that structure
(:mod:`pairing.mentor_types`: only the rows it cannot clear are computed), else by the
per-chunk bounds of the scan (:func:`pairing.mentor_pricing.improving`). Once few
improving pairs are left, the candidates are cut, once, to the pairs tight under the
potentials (:func:`_nearly_there`): the last solves run on about half the pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pairing.b_matching import solve
from pairing.mentor_blocks import BlockCosts, CostSource, DenseCosts
from pairing.mentor_pricing import (
    FEW_LEFT,
    FEW_ROWS,
    MARGIN_PART,
    MAX_ROUNDS,
    NEAR_ENTRIES,
    improving,
    improving_rows,
)
from pairing.mentor_scan import column_candidates, scan
from pairing.mentor_types import TypeBound

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Assignment:
    """``mentor_of`` (column or -1, per row); the flow solves and candidate pairs it
    took; which rows have any allowed pair; how many pairs are allowed; and the
    certificate: potentials under which no allowed pair has a negative reduced cost."""

    mentor_of: IntArray
    solves: int
    candidates: int
    has_any: BoolArray
    allowed: int
    mentee_potential: IntArray
    mentor_potential: IntArray


def assign(source: CostSource, capacity: IntArray) -> Assignment:
    """A maximum-cost assignment over every allowed pair of ``source``; ``capacity``
    per column (padded columns take nobody)."""
    room = np.zeros(source.cols, np.int64)
    room[: len(capacity)] = np.maximum(capacity, 0)
    found = scan(source, room)
    near = source.rows * source.cols <= NEAR_ENTRIES
    row, col, cost = column_candidates(source, found.column_bound, room)
    keys = np.concatenate([found.row * source.cols + found.col, row * source.cols + col])
    keys, first = np.unique(keys, return_index=True)
    costs = np.concatenate([found.cost, cost])[first]
    keep = room[keys % source.cols] > 0
    keys, costs = keys[keep], costs[keep]
    structure = source.structure if isinstance(source, DenseCosts) else source
    types, open_rows = None, source.rows_at
    if isinstance(structure, BlockCosts):  # columns with no allowed pair: left out
        types = TypeBound.of(structure, found.column_bound.max(axis=0, initial=0) > 0)
        open_rows = structure.open_rows
    narrowed = False
    flow = None
    for solves in range(1, MAX_ROUNDS + 1):
        order = np.argsort(keys, kind="stable")  # by mentee, then mentor: fixed tie order
        keys, costs = keys[order], costs[order]
        row, col = keys // source.cols, keys % source.cols
        flow = solve(row, col, costs, room, source.rows, start_from=flow)
        margin = int(costs.max(initial=0)) // MARGIN_PART if near and not narrowed else 0
        mentee, mentor = flow.mentee_potential, flow.mentor_potential
        if types is None:
            left, more = improving(source, found.bound, keys, mentee, mentor, margin)
        else:
            doubt = np.flatnonzero(types.best(mentor) > mentee - margin)
            by_type = (open_rows, types.type_of)
            left, more = improving_rows(source, doubt, keys, mentee, mentor, margin, by_type)
        more_row, more_col, more_cost = more
        if left and not narrowed and _nearly_there(left, more_row, source.rows, near):
            # The next solve keeps the tight pairs (the assignment's among them) and
            # takes only the improving ones -- the rest cannot be in its optimum unless
            # the potentials move, and then the check finds them (from now on without
            # near-tight pairs: a check then clears most rows by their type bound).
            # Once, so the pairs only grow from here and the loop ends as before.
            narrowed = True
            tight = costs + mentor[col] >= mentee[row]
            keys, costs = keys[tight], costs[tight]
            better = more_cost + mentor[more_col] > mentee[more_row]
            more_row, more_col, more_cost = more_row[better], more_col[better], more_cost[better]
        if left == 0:
            return Assignment(
                flow.mentor_of,
                solves,
                len(keys),
                found.has_any,
                found.allowed,
                flow.mentee_potential,
                flow.mentor_potential,
            )
        keys = np.concatenate([keys, more_row * source.cols + more_col])
        costs = np.concatenate([costs, more_cost])
    raise RuntimeError("column generation did not converge")  # pragma: no cover


def _nearly_there(left: int, more_row: IntArray, rows: int, near: bool) -> bool:
    """Whether the candidates are cut to the tight pairs before the next solve: on
    small instances (near-tight pairs listed) once the improving pairs number at most
    1 in ``FEW_LEFT`` of the rows, where an extra solve costs more than the pairs cut
    save; on large ones once at most 1 row in ``FEW_ROWS`` has one, where a solve's
    time follows its pairs (100k x 20k: the fourth solve on 1.29 million pairs, not
    2.30)."""
    if near:
        return left * FEW_LEFT <= rows
    return len(np.unique(more_row)) * FEW_ROWS <= rows
