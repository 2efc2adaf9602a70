"""The public score functions: how good a pair (or group) is, on soft criteria only.

Every plan's ``score`` is the sum of these functions over its groups, so anyone can
recompute it (and compare it with an exact optimum computed on the same functions):

- a coffee pair scores :func:`coffee_pair_score`;
- a coffee group of three or more scores the sum over all its pairs
  (:func:`coffee_group_score`);
- a mentorship match scores :func:`mentorship_score`.

Repeats are not part of the score: the engine first minimises repeated pairs and only
then maximises the score. Hard exclusions are not part of it either.

Coffee pair score, with ``w`` the :class:`~pairing.options.Weights`::

    overlap term   w.overlap * min(m, w.overlap_full_minutes) / w.overlap_full_minutes
                   if the two share m > 0 working minutes, else -w.no_overlap_penalty
  + interest term  w.shared_interest * min(#shared interests, w.max_shared_interests)
  + team term      if both have a team and the teams differ:
                   w.cross_team + w.prefers_cross_team * (#of the two who prefer it)
  + missed term    w.missed_last_time if ``missed_last_time`` (a re-offered pair)

Mentorship score: 0 when the mentor's skills cover none of the mentee's goals;
otherwise ``w.goal_covered * #covered goals + w.mentorship_overlap_scale * overlap term
+ w.seniority_step * clamp(mentor.seniority - mentee.seniority, ±w.max_seniority_steps)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from pairing.hours import overlap_minutes
from pairing.models import Member
from pairing.options import Weights


def overlap_term(minutes: int, weights: Weights) -> float:
    """The working-hours part of a score for ``minutes`` of shared working time."""
    if minutes <= 0:
        return -weights.no_overlap_penalty
    full = weights.overlap_full_minutes
    return weights.overlap * min(minutes, full) / full


def is_cross_team(a: Member, b: Member) -> bool:
    """Both have a known team and the teams differ."""
    return a.team is not None and b.team is not None and a.team != b.team


def coffee_pair_score(
    a: Member, b: Member, weights: Weights, *, missed_last_time: bool = False
) -> float:
    """Soft score of putting ``a`` and ``b`` together in a coffee round (symmetric)."""
    hours = overlap_term(overlap_minutes(a, b), weights)
    shared = min(len(a.interests & b.interests), weights.max_shared_interests)
    interests = weights.shared_interest * shared
    team = 0.0
    if is_cross_team(a, b):
        wanting = int(a.prefers_cross_team) + int(b.prefers_cross_team)
        team = weights.cross_team + weights.prefers_cross_team * wanting
    missed = weights.missed_last_time if missed_last_time else 0.0
    return hours + interests + team + missed


def coffee_group_score(
    members: Sequence[Member], weights: Weights, *, missed: frozenset[frozenset[str]] = frozenset()
) -> float:
    """Sum of :func:`coffee_pair_score` over all pairs of the group.

    ``missed`` lists the pairs (as id sets) re-offered after a missed meeting.
    """
    total = 0.0
    for a, b in combinations(members, 2):
        total += coffee_pair_score(
            a, b, weights, missed_last_time=frozenset((a.id, b.id)) in missed
        )
    return total


def seniority_term(mentor: Member, mentee: Member, weights: Weights) -> float:
    cap = weights.max_seniority_steps
    gap = max(-cap, min(cap, mentor.seniority - mentee.seniority))
    return weights.seniority_step * gap


def mentorship_score(mentor: Member, mentee: Member, weights: Weights) -> float:
    """Compatibility of ``mentor`` for ``mentee``; 0 when no goal is covered."""
    covered = len(mentee.goals & mentor.skills)
    if covered == 0:
        return 0.0
    goals = weights.goal_covered * covered
    hours = weights.mentorship_overlap_scale * overlap_term(
        overlap_minutes(mentor, mentee), weights
    )
    return goals + hours + seniority_term(mentor, mentee, weights)
