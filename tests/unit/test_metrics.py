"""Impact metrics a lead reads: meetings held, cross-team ties, who was left out."""

from __future__ import annotations

from pairing.metrics import program_stats
from pairing.models import Outcome, PastGroup

TEAMS = {"a": "design", "b": "sales", "c": "design", "d": "design", "e": None}


def _group(round_: int, *members: str, outcome: Outcome | None = None) -> PastGroup:
    return PastGroup(round=round_, members=frozenset(members), outcome=outcome)


def test_meeting_rate_counts_only_groups_that_reported() -> None:
    history = [
        _group(1, "a", "b", outcome=Outcome.MET),
        _group(1, "c", "d", outcome=Outcome.NOT_MET),
        _group(2, "a", "c"),
    ]
    stats = program_stats(history, teams=TEAMS, enrolled={"a", "b", "c", "d", "e"})
    assert (stats.rounds, stats.groups, stats.outcomes_reported, stats.meetings_held) == (
        2,
        3,
        2,
        1,
    )
    assert stats.meeting_rate == 0.5
    assert stats.never_matched == ("e",)
    assert stats.participation == 0.8


def test_a_cross_team_tie_needs_two_known_different_teams_and_no_failed_meeting() -> None:
    history = [
        _group(1, "a", "b"),  # design-sales: a tie
        _group(2, "b", "a"),  # the same pair again: still one tie
        _group(2, "c", "d"),  # same team
        _group(3, "b", "c", outcome=Outcome.NOT_MET),  # did not meet
        _group(3, "a", "e"),  # e's team unknown
    ]
    stats = program_stats(history, teams=TEAMS)
    assert (stats.cross_team_ties, stats.team_links) == (1, 1)


def test_stats_can_be_limited_to_some_rounds() -> None:
    history = [_group(1, "a", "b", outcome=Outcome.MET), _group(2, "a", "c")]
    stats = program_stats(history, teams=TEAMS, rounds={2})
    assert (stats.rounds, stats.groups, stats.meeting_rate) == (1, 1, None)
