"""Mentorship rounds: an exactly optimal assignment of mentees to mentors' free slots.

A maximum-weight b-matching (each mentor takes at most ``capacity`` mentees) on the
allowed pairs, exact and certified:

1. every allowed pair's score as an exact integer (:mod:`pairing.mentor_costs`; no
   float is rounded, so odd working minutes cannot push it onto a slow path);
2. a min-cost flow on each mentee's few best mentors only (:mod:`pairing.b_matching`),
   then the dual check over *all* allowed pairs (:mod:`pairing.mentor_pricing`): pairs
   that could still improve it are added and the flow solved again, until none is left.
   What remains is optimal over every allowed pair, by LP duality.

Allowed: the mentor's skills cover at least one of the mentee's goals, the pair scores
above zero (:func:`pairing.scoring.mentorship_score`), and no hard exclusion applies
(reporting line, an earlier match of the two, the same team if ``avoid_same_team``).
:func:`best_assignment` takes the cost matrix, so other callers can add their own
exclusions (set a pair's cost to 0) and capacities.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from pairing.b_matching import solve
from pairing.dense_context import forbidden_pairs
from pairing.history import PairHistory
from pairing.mentor_costs import MAX_COST, CostScale, cost_scale, mentorship_costs
from pairing.mentor_pricing import MAX_ROUNDS, Costs, improving, initial_candidates
from pairing.models import (
    Group,
    Member,
    PastGroup,
    Plan,
    Reason,
    ReasonKind,
    Role,
    Unmatched,
    distinct_members,
)
from pairing.models import UnmatchedReason as Why
from pairing.options import MentorshipOptions
from pairing.reasons import hours_reason
from pairing.scoring import mentorship_score
from pairing.table import MemberTable

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ROWS_PER_BLOCK = 2_000_000  # cost entries computed at once (bitsets broadcast per block)


def cost_matrix(
    people: Sequence[Member],
    history: Iterable[PastGroup],
    options: MentorshipOptions,
    mentors: IntArray,
    mentees: IntArray,
    scale: CostScale,
) -> Costs:
    """Integer costs (mentees x mentors): ``D * score`` of allowed pairs, 0 elsewhere."""
    table = MemberTable.of(people)
    rows = max(1, ROWS_PER_BLOCK // max(1, len(mentors)))
    blocks = []
    for start in range(0, len(mentees), rows):
        who = mentees[start : start + rows]
        block = mentorship_costs(table, mentors[None, :], who[:, None], scale, options.weights)
        if options.avoid_same_team:
            same = (table.team[mentors][None, :] == table.team[who][:, None]) & (
                table.team[who][:, None] >= 0
            )
            block[same] = 0
        blocks.append(np.maximum(block, 0))
    costs = np.concatenate(blocks) if blocks else np.zeros((0, len(mentors)), np.int64)
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
    for a, b in barred:
        for x, y in ((a, b), (b, a)):
            hit = (row_of[x] >= 0) & (col_of[y] >= 0)
            costs[row_of[x[hit]], col_of[y[hit]]] = 0
    top = int(costs.max()) if costs.size else 0
    narrow = np.int16 if top < 2**15 else np.int32 if top < 2**31 else np.int64
    return costs.astype(narrow)


def best_assignment(costs: Costs, capacity: IntArray) -> tuple[IntArray, int, int]:
    """``mentor_of`` (column or -1, per row) of a maximum-cost assignment, optimal over
    every positive entry of ``costs``; also the solves and candidate pairs it took.

    ``capacity[c]`` is column c's free slots; a pair that may not meet has cost 0.
    """
    rows, cols = costs.shape
    if cols:
        costs = np.where(capacity[None, :] > 0, costs, 0).astype(costs.dtype)
    row, col = initial_candidates(costs, capacity)
    listed = np.zeros(costs.shape, dtype=bool)
    for solves in range(1, MAX_ROUNDS + 1):
        listed[row, col] = True
        row, col = np.nonzero(listed)  # sorted by mentee, then mentor: ties by id order
        found = solve(row, col, costs[row, col].astype(np.int64), capacity, rows)
        more_row, more_col = improving(
            costs, listed, found.mentee_potential, found.mentor_potential
        )
        if len(more_row) == 0:
            return found.mentor_of, solves, len(row)
        row, col = more_row, more_col
    raise RuntimeError("column generation did not converge")  # pragma: no cover


def favour_waiting(costs: Costs, waited: Sequence[int]) -> Costs:
    """Costs whose optimum is an optimum of ``costs`` that, among equal ones, matches
    those who ``waited`` longest (a larger number: longer) first.

    Lexicographic: every allowed pair's cost times ``K`` plus its mentee's waiting rank
    (0 for the shortest wait); ``K`` exceeds the sum of all ranks, so no choice of who
    waited can outweigh one unit of the original score. When ``K`` would push costs past
    what the flow solver takes exactly, fewer ranks are kept (longest vs. the rest).
    """
    if not len(waited) or costs.size == 0:
        return costs
    levels = sorted(set(waited))
    rank = np.array([levels.index(w) for w in waited], np.int64)
    top = int(costs.max())
    while len(levels) > 1:
        highest = int(rank.max())
        scale = len(waited) * highest + 1
        if top * scale + highest < MAX_COST:
            wide = costs.astype(np.int64)
            return np.where(wide > 0, wide * scale + rank[:, None], 0)
        rank = (rank == highest).astype(np.int64)  # coarser: the longest wait only
        levels = levels[-2:]
    return costs


def plan_mentorship_round(
    members: Sequence[Member],
    history: Iterable[PastGroup],
    *,
    seed: int,
    options: MentorshipOptions = MentorshipOptions(),  # noqa: B008 - frozen, safe default
    waiting: Mapping[str, int] | None = None,
) -> Plan:
    """Match mentees to mentors: maximum total :func:`mentorship_score`, exactly.

    Mentors bring ``capacity`` free slots (the caller subtracts mentees they already
    have). Unmatched mentees are reported with NO_COMPATIBLE_MENTOR when no allowed
    mentor exists at all, else NO_CAPACITY; mentors left without a mentee with
    NO_MENTEES. The result does not depend on ``seed`` (the optimum is exact; among
    equal optima the solver's choice is fixed by member id order); the seed is recorded
    in the plan.
    """
    people = distinct_members(members)
    ids = [m.id for m in people]
    mentors = np.array([k for k, m in enumerate(people) if m.role == Role.MENTOR], np.int64)
    mentees = np.array([k for k, m in enumerate(people) if m.role == Role.MENTEE], np.int64)
    scale = cost_scale(options.weights)
    costs = cost_matrix(people, list(history), options, mentors, mentees, scale)
    capacity = np.array([max(0, people[k].capacity) for k in mentors.tolist()], np.int64)
    if waiting:
        waited = [int(waiting.get(people[k].id, 0)) for k in mentees.tolist()]
        mentor_of, solves, candidates = best_assignment(favour_waiting(costs, waited), capacity)
    else:
        mentor_of, solves, candidates = best_assignment(costs, capacity)
    chosen = {int(mentees[e]): int(mentors[r]) for e, r in enumerate(mentor_of.tolist()) if r >= 0}
    groups = [match_group(people[m], people[x], options) for x, m in sorted(chosen.items())]
    has_any = np.asarray((costs > 0).any(axis=1), dtype=bool).reshape(len(mentees))
    unmatched = [
        Unmatched(ids[x], Why.NO_CAPACITY if has_any[e] else Why.NO_COMPATIBLE_MENTOR)
        for e, x in enumerate(mentees.tolist())
        if x not in chosen
    ]
    busy = set(chosen.values())
    unmatched += [Unmatched(ids[m], Why.NO_MENTEES) for m in mentors.tolist() if m not in busy]
    notes = []
    if len(mentees):
        notes.append(f"{len(chosen)} of {len(mentees)} mentees matched")
        notes.append(
            f"optimal over all {int((costs > 0).sum())} allowed pairs: dual check after "
            f"{solves} solve(s) on {candidates} candidate pairs"
            + ("" if scale.exact else f" (scores approximated to {scale.tolerance:.1e})")
        )
    return Plan(
        groups=tuple(groups),
        unmatched=tuple(unmatched),
        seed=seed,
        score=sum(g.score for g in groups),
        notes=tuple(notes),
    )


def match_group(mentor: Member, mentee: Member, options: MentorshipOptions) -> Group:
    """The pair as a group, with the reasons it is a good match."""
    covered = tuple(sorted(mentee.goals & mentor.skills))
    reasons = [Reason(ReasonKind.SKILLS_FOR_GOALS, items=covered), hours_reason([mentor, mentee])]
    if mentor.seniority > mentee.seniority:
        reasons.append(Reason(ReasonKind.SENIORITY))
    if mentor.team is not None and mentee.team is not None and mentor.team != mentee.team:
        reasons.append(Reason(ReasonKind.CROSS_TEAM, items=(mentor.team, mentee.team)))
    return Group(
        members=(mentor.id, mentee.id),
        mentor=mentor.id,
        reasons=tuple(reasons),
        score=mentorship_score(mentor, mentee, options.weights),
    )
