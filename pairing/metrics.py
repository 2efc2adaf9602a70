"""Impact metrics for program leads: did people meet, and which parts of the company
are now connected? Pure functions over past groups (no I/O)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

from pairing.models import Outcome, PastGroup


@dataclass(frozen=True, slots=True)
class ProgramStats:
    """Headline numbers over a set of rounds.

    ``meeting_rate`` is met / groups with a reported outcome (None when nobody answered).
    A *cross-team tie* is a pair of people from different teams who were grouped and did
    not report that the meeting failed; ``team_links`` counts distinct pairs of teams so
    connected. ``never_matched`` lists enrolled people who were in none of the groups.
    """

    rounds: int
    groups: int
    people_matched: int
    enrolled: int
    outcomes_reported: int
    meetings_held: int
    meeting_rate: float | None
    cross_team_ties: int
    team_links: int
    never_matched: tuple[str, ...]

    @property
    def participation(self) -> float | None:
        """Share of enrolled people matched at least once."""
        if not self.enrolled:
            return None
        return (self.enrolled - len(self.never_matched)) / self.enrolled


def program_stats(
    history: Iterable[PastGroup],
    *,
    teams: Mapping[str, str | None],
    enrolled: Collection[str] = (),
    rounds: Collection[int] | None = None,
) -> ProgramStats:
    """Summarise ``history`` (optionally only the given round numbers)."""
    groups = [g for g in history if rounds is None or g.round in rounds]
    matched = {member for group in groups for member in group.members}
    reported = [g for g in groups if g.outcome is not None]
    held = sum(1 for g in reported if g.outcome is Outcome.MET)
    ties, links = cross_team_ties(groups, teams)
    return ProgramStats(
        rounds=len({g.round for g in groups}),
        groups=len(groups),
        people_matched=len(matched),
        enrolled=len(enrolled),
        outcomes_reported=len(reported),
        meetings_held=held,
        meeting_rate=held / len(reported) if reported else None,
        cross_team_ties=len(ties),
        team_links=len(links),
        never_matched=tuple(sorted(set(enrolled) - matched)),
    )


def cross_team_ties(
    groups: Iterable[PastGroup], teams: Mapping[str, str | None]
) -> tuple[set[frozenset[str]], set[frozenset[str]]]:
    """Distinct cross-team pairs of people, and the distinct team pairs they connect."""
    ties: set[frozenset[str]] = set()
    links: set[frozenset[str]] = set()
    for group in groups:
        if group.outcome is Outcome.NOT_MET:
            continue
        for a, b in combinations(sorted(group.members), 2):
            team_a, team_b = teams.get(a), teams.get(b)
            if team_a and team_b and team_a != team_b:
                ties.add(frozenset((a, b)))
                links.add(frozenset((team_a, team_b)))
    return ties, links
