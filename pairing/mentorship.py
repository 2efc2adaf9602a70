"""Mentorship rounds: an exactly optimal assignment of mentees to mentors' free slots.

A maximum-weight b-matching (each mentor takes at most ``capacity`` mentees) on the
allowed pairs only, solved exactly by min-cost flow (:mod:`pairing.b_matching`, which
also says how integer costs keep the optimum exact and when it falls back to an
assignment over mentor slots): 5,000 mentees x 1,000 mentors x 5 slots in a few
seconds.

Allowed: the mentor's skills cover at least one of the mentee's goals, the pair scores
above zero (:func:`pairing.scoring.mentorship_score`), and no hard exclusion applies
(reporting line, an earlier match of the two, the same team if ``avoid_same_team``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from pairing.b_matching import best_assignment
from pairing.dense_context import forbidden_pairs
from pairing.history import PairHistory
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
from pairing.table import MemberTable, mentorship_scores

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def allowed_pairs(
    people: Sequence[Member],
    history: Iterable[PastGroup],
    options: MentorshipOptions,
    mentors: IntArray,
    mentees: IntArray,
) -> tuple[IntArray, IntArray, npt.NDArray[np.float64]]:
    """All allowed (mentor, mentee) index pairs with their scores."""
    index = {m.id: k for k, m in enumerate(people)}
    table = MemberTable.of(people)
    r = np.repeat(mentors, len(mentees))
    e = np.tile(mentees, len(mentors))
    scores = mentorship_scores(table, r, e, options.weights)
    ok = scores > 0
    n = len(people)
    keys = np.minimum(r, e) * n + np.maximum(r, e)
    if options.exclude_reporting_line:
        fi, fj = forbidden_pairs(people, index)
        ok &= ~np.isin(keys, np.minimum(fi, fj) * n + np.maximum(fi, fj))
    if options.exclude_previous_pairs:
        met, _, _ = PairHistory.of(history, index, reoffer_missed=False).lookup(r, e)
        ok &= ~met
    if options.avoid_same_team:
        ok &= ~((table.team[r] >= 0) & (table.team[r] == table.team[e]))
    return r[ok], e[ok], scores[ok]


def plan_mentorship_round(
    members: Sequence[Member],
    history: Iterable[PastGroup],
    *,
    seed: int,
    options: MentorshipOptions = MentorshipOptions(),  # noqa: B008 - frozen, safe default
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
    history = list(history)
    r, e, scores = allowed_pairs(people, history, options, mentors, mentees)
    capacity = np.zeros(len(people), dtype=np.int64)
    capacity[mentors] = [max(0, people[k].capacity) for k in mentors.tolist()]
    chosen = best_assignment(r, e, scores, capacity, mentees, options.weights.overlap_full_minutes)
    groups = [_match(people[m], people[x], options) for x, m in sorted(chosen.items())]
    has_any = set(e.tolist())
    unmatched = [
        Unmatched(ids[x], Why.NO_CAPACITY if x in has_any else Why.NO_COMPATIBLE_MENTOR)
        for x in mentees.tolist()
        if x not in chosen
    ]
    busy = set(chosen.values())
    unmatched += [Unmatched(ids[m], Why.NO_MENTEES) for m in mentors.tolist() if m not in busy]
    notes = [f"{len(chosen)} of {len(mentees)} mentees matched"] if len(mentees) else []
    return Plan(
        groups=tuple(groups),
        unmatched=tuple(unmatched),
        seed=seed,
        score=sum(g.score for g in groups),
        notes=tuple(notes),
    )


def _match(mentor: Member, mentee: Member, options: MentorshipOptions) -> Group:
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
