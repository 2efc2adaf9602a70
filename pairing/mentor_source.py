"""Where mentorship costs come from: the members' pairs as a block cost source.

:func:`cost_source` builds the :class:`pairing.mentor_blocks.BlockCosts` of a round
(with the reporting line and earlier matches barred), :func:`cost_matrix` the same as one
matrix for small callers, :func:`reach` which mentees have any allowed mentor, and
:func:`mentor_order` the column order that keeps the pricing bounds tight.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from pairing.dense_context import forbidden_pairs
from pairing.history import PairHistory
from pairing.mentor_blocks import BlockCosts, Costs, padded
from pairing.mentor_costs import CostScale
from pairing.mentor_scan import BLOCK
from pairing.models import Member, PastGroup
from pairing.options import MentorshipOptions
from pairing.table import MemberTable

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
DENSE_ENTRIES = 1 << 27  # costs kept in memory up to this many pairs (256 MB as int16)


def cost_source(
    people: Sequence[Member],
    history: Iterable[PastGroup],
    options: MentorshipOptions,
    mentors: IntArray,
    mentees: IntArray,
    scale: CostScale,
    table: MemberTable | None = None,
) -> BlockCosts:
    """Integer costs (mentees x mentors, computed in blocks): ``D * score`` of allowed
    pairs, 0 elsewhere."""
    table = table or MemberTable.of(people)
    cols = padded(len(mentors))
    row_of = np.full(len(people), -1, np.int64)
    row_of[mentees] = np.arange(len(mentees))
    col_of = np.full(len(people), -1, np.int64)
    col_of[mentors] = np.arange(len(mentors))
    barred: list[tuple[IntArray, IntArray]] = []
    index = {m.id: k for k, m in enumerate(people)}
    if options.exclude_reporting_line:
        barred.append(forbidden_pairs(people, index))
    if options.exclude_previous_pairs:
        i, j, _ = PairHistory.of(history, index, reoffer_missed=False).met_pairs()
        barred.append((i, j))
    keys = [np.zeros(0, np.int64)]
    for a, b in barred:
        for x, y in ((a, b), (b, a)):
            hit = (row_of[x] >= 0) & (col_of[y] >= 0)
            keys.append(row_of[x[hit]] * cols + col_of[y[hit]])
    return BlockCosts(
        table,
        mentees,
        mentors,
        scale,
        options.weights,
        options.avoid_same_team,
        np.unique(np.concatenate(keys)),
    )


def cost_matrix(
    people: Sequence[Member],
    history: Iterable[PastGroup],
    options: MentorshipOptions,
    mentors: IntArray,
    mentees: IntArray,
    scale: CostScale,
) -> Costs:
    """Integer costs (mentees x mentors) as one matrix: ``D * score`` of allowed pairs, 0
    elsewhere."""
    source = cost_source(people, history, options, mentors, mentees, scale)
    step = max(1, BLOCK // source.cols)
    blocks = [source.block(at, min(at + step, source.rows)) for at in range(0, source.rows, step)]
    if not blocks:
        return np.zeros((0, len(mentors)), np.int16)
    return np.concatenate(blocks)[:, : len(mentors)]


def reach(source: BlockCosts) -> tuple[BoolArray, int]:
    """Which rows have an allowed pair in ``source``, and how many pairs are allowed."""
    has_any, allowed = np.zeros(source.rows, bool), 0
    step = max(1, BLOCK // source.cols)
    for at in range(0, source.rows, step):
        block = source.block(at, min(at + step, source.rows))
        has_any[at : at + len(block)] = (block > 0).any(axis=1)
        allowed += int(np.count_nonzero(block))
    return has_any, allowed


def mentor_order(table: MemberTable, mentors: IntArray) -> IntArray:
    """Mentors with like skills, then like seniority, side by side: the pricing bound
    per chunk of mentors is then close to each one's cost."""
    skills = table.skills[mentors]
    keys = [table.seniority[mentors], *(skills[:, w] for w in range(skills.shape[1]))]
    return mentors[np.lexsort(keys)] if len(mentors) else mentors
