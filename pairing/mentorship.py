"""Mentorship rounds: an exactly optimal assignment of mentees to mentors' free slots.

A maximum-weight b-matching (each mentor takes at most ``capacity`` mentees) on the
allowed pairs, exact and certified:

1. every allowed pair's score as an exact integer (:mod:`pairing.mentor_costs`; no
   float is rounded, so odd working minutes cannot push it onto a slow path), computed
   a block of mentees at a time (:mod:`pairing.mentor_blocks`): the matrix of every
   pair is kept only while it is small (``DENSE_ENTRIES``), never at 100k x 20k;
2. a min-cost flow on each mentee's few best mentors and each mentor's best mentees
   (:mod:`pairing.b_matching`, :mod:`pairing.mentor_solver`), then the dual check over
   *all* allowed pairs (:mod:`pairing.mentor_pricing`): pairs that could still improve
   it are added and the flow solved again, until none is left. What remains is optimal
   over every allowed pair, by LP duality; the potentials are the certificate.

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

from pairing.hours import utc_window
from pairing.mentor_blocks import Costs, DenseCosts
from pairing.mentor_costs import MAX_COST, cost_scale
from pairing.mentor_solver import assign
from pairing.mentor_source import DENSE_ENTRIES, cost_matrix, cost_source, mentor_order, reach
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

__all__ = [
    "best_assignment",
    "cost_matrix",
    "cost_source",
    "favour_waiting",
    "match_group",
    "mentor_order",
    "plan_mentorship_round",
]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def best_assignment(costs: Costs, capacity: IntArray) -> tuple[IntArray, int, int]:
    """``mentor_of`` (column or -1, per row) of a maximum-cost assignment, optimal over
    every positive entry of ``costs``; also the solves and candidate pairs it took.

    ``capacity[c]`` is column c's free slots; a pair that may not meet has cost 0.
    """
    if costs.shape[1]:
        costs = np.where(capacity[None, :] > 0, costs, 0).astype(costs.dtype)
    found = assign(DenseCosts(costs), capacity)
    return found.mentor_of, found.solves, found.candidates


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
    equal optima the solver's choice is fixed by the members -- ids, skills, seniority
    -- never by chance); the seed is recorded in the plan.
    """
    people = distinct_members(members)
    ids = [m.id for m in people]
    past = list(history)
    table = MemberTable.of(people)
    room = {k: m.capacity for k, m in enumerate(people) if m.role == Role.MENTOR}
    open_ = np.array([k for k, c in room.items() if c > 0], np.int64)
    closed = np.array([k for k, c in room.items() if c <= 0], np.int64)
    mentors = mentor_order(table, open_)
    mentees = np.array([k for k, m in enumerate(people) if m.role == Role.MENTEE], np.int64)
    scale = cost_scale(options.weights)
    source = cost_source(people, past, options, mentors, mentees, scale, table)
    capacity = np.array([people[k].capacity for k in mentors.tolist()], np.int64)
    if waiting:
        waited = [int(waiting.get(people[k].id, 0)) for k in mentees.tolist()]
        dense = cost_matrix(people, past, options, mentors, mentees, scale)
        found = assign(DenseCosts(favour_waiting(dense, waited)), capacity)
    else:
        small = source.rows * source.cols <= DENSE_ENTRIES
        found = assign(source.dense() if small else source, capacity)
    has_any, allowed = found.has_any, found.allowed
    if waiting:
        has_any, allowed = reach(source)
    if len(closed):
        more, extra = reach(cost_source(people, past, options, closed, mentees, scale, table))
        has_any, allowed = has_any | more, allowed + extra
    mentor_of, solves, candidates = found.mentor_of, found.solves, found.candidates
    chosen = {int(mentees[e]): int(mentors[r]) for e, r in enumerate(mentor_of.tolist()) if r >= 0}
    hours: dict[tuple[tuple[int, int], tuple[int, int]], Reason] = {}
    scores: dict[tuple[tuple[tuple[int, int], tuple[int, int]], int, int], float] = {}
    groups = [
        match_group(people[m], people[x], options, hours, scores) for x, m in sorted(chosen.items())
    ]
    mentors = np.sort(np.concatenate([open_, closed]))
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
            f"optimal over all {allowed} allowed pairs: dual check after "
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


def match_group(
    mentor: Member,
    mentee: Member,
    options: MentorshipOptions,
    hours: dict[tuple[tuple[int, int], tuple[int, int]], Reason] | None = None,
    scores: dict[tuple[tuple[tuple[int, int], tuple[int, int]], int, int], float] | None = None,
) -> Group:
    """The pair as a group, with the reasons it is a good match; ``hours`` keeps the
    hours reason per pair of UTC windows (a round has few distinct ones), ``scores`` the
    score per windows, goals covered and seniority gap (all it depends on)."""
    covered = tuple(sorted(mentee.goals & mentor.skills))
    key = (utc_window(mentor), utc_window(mentee))
    traits = (key, len(covered), mentor.seniority - mentee.seniority)
    score = scores.get(traits) if scores is not None else None
    if score is None:
        score = mentorship_score(mentor, mentee, options.weights)
        if scores is not None:
            scores[traits] = score
    found = hours.get(key) if hours is not None else None
    if found is None:
        found = hours_reason([mentor, mentee])
        if hours is not None:
            hours[key] = found
    reasons = [Reason(ReasonKind.SKILLS_FOR_GOALS, items=covered), found]
    if mentor.seniority > mentee.seniority:
        reasons.append(Reason(ReasonKind.SENIORITY))
    if mentor.team is not None and mentee.team is not None and mentor.team != mentee.team:
        reasons.append(Reason(ReasonKind.CROSS_TEAM, items=(mentor.team, mentee.team)))
    return Group(
        members=(mentor.id, mentee.id),
        mentor=mentor.id,
        reasons=tuple(reasons),
        score=score,
    )
