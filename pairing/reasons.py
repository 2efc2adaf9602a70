"""Turn chosen groups into :class:`~pairing.models.Group` values with their reasons."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import combinations

from pairing.hours import shared_window
from pairing.models import Group, Member, Reason, ReasonKind
from pairing.scoring import is_cross_team


def hours_reason(members: Sequence[Member]) -> Reason:
    """OVERLAPPING_HOURS with the shared minutes and UTC window, or NO_OVERLAP."""
    minutes, window = shared_window(members)
    if window is None:
        return Reason(ReasonKind.NO_OVERLAP)
    return Reason(ReasonKind.OVERLAPPING_HOURS, minutes=minutes, window=window)


def shared_interests(members: Sequence[Member]) -> tuple[str, ...]:
    """Interests of a pair in common; for a larger group, those held by two or more."""
    counts = Counter(item for m in members for item in m.interests)
    return tuple(sorted(item for item, count in counts.items() if count >= 2))


def coffee_group(
    members: Sequence[Member],
    pair_scores: Sequence[float],
    *,
    repeats: int,
    missed: frozenset[frozenset[str]],
) -> Group:
    """A coffee group with its reasons, score and ``repeats`` (pairs that met before).

    ``members`` are sorted by id and ``pair_scores`` are their pairs' scores in
    ``itertools.combinations`` order (what :func:`pairing.scoring.coffee_group_score`
    adds up); ``missed`` holds the group's pairs re-offered after a missed meeting.
    """
    if len(members) == 2:
        a, b = members
        items = tuple(sorted(a.interests & b.interests))
        teams = {a.team, b.team} - {None} if is_cross_team(a, b) else set()
        any_missed = frozenset((a.id, b.id)) in missed
    else:
        items = shared_interests(members)
        teams = {m.team for m in members if m.team is not None}
        any_missed = any(frozenset((x.id, y.id)) in missed for x, y in combinations(members, 2))
    reasons: list[Reason] = []
    if items:
        reasons.append(Reason(ReasonKind.SHARED_INTERESTS, items=items))
    if len(teams) > 1:
        reasons.append(Reason(ReasonKind.CROSS_TEAM, items=tuple(sorted(t for t in teams if t))))
    reasons.append(hours_reason(members))
    if any_missed:
        reasons.append(Reason(ReasonKind.MISSED_LAST_TIME))
    if repeats:
        reasons.append(Reason(ReasonKind.REPEAT))
    total = 0.0
    for score in pair_scores:
        total += score
    return Group(
        members=tuple(m.id for m in members),
        reasons=tuple(reasons),
        score=total,
        repeat_pairs=repeats,
    )
