"""Network impact measures against networks small enough to count by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pairing.impact import (
    Dimension,
    bridges,
    company_ei,
    ei_by_team,
    ei_index,
    integration,
    isolated,
    mentor_waits,
    network_impact,
    outcomes,
    percentile,
    random_ei,
    random_ei_by_team,
    reach,
    team_ties,
    ties,
    trend,
)
from pairing.models import Outcome, PastGroup


def g(round_: int, *members: str, outcome: Outcome | None = None) -> PastGroup:
    return PastGroup(round=round_, members=frozenset(members), outcome=outcome)


TWO_TEAMS = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "b3": "B"}


def test_a_fully_siloed_company_scores_minus_one_against_a_random_baseline_of_one_fifth():
    history = [g(1, "a1", "a2"), g(1, "b1", "b2"), g(2, "a1", "a3"), g(2, "b2", "b3")]
    found = ties(history)
    assert ei_index(found, TWO_TEAMS) == -1.0
    assert ei_by_team(found, TWO_TEAMS) == {"A": -1.0, "B": -1.0}
    # 15 possible pairs: 6 inside a team, 9 across → (9 − 6) / 15
    assert random_ei(TWO_TEAMS, TWO_TEAMS) == pytest.approx(0.2)
    assert isolated(found, TWO_TEAMS, TWO_TEAMS) == tuple(sorted(TWO_TEAMS))
    assert team_ties(found, TWO_TEAMS) == {("A", "A"): 2, ("B", "B"): 2}
    assert bridges(team_ties(found, TWO_TEAMS)) == ()


def test_a_fully_mixed_company_scores_plus_one_and_nobody_is_isolated():
    history = [g(1, "a1", "b1"), g(1, "a2", "b2"), g(1, "a3", "b3")]
    found = ties(history)
    assert ei_index(found, TWO_TEAMS) == 1.0
    assert team_ties(found, TWO_TEAMS) == {("A", "B"): 3}
    assert isolated(found, TWO_TEAMS, TWO_TEAMS) == ()
    assert set(reach(found, TWO_TEAMS, TWO_TEAMS).values()) == {1}
    assert bridges(team_ties(found, TWO_TEAMS)) == (("A", "B"),)


def test_random_baseline_of_four_teams_of_three():
    teams = {f"{t}{i}": t for t in "ABCD" for i in range(3)}
    # 66 pairs, 4 × 3 = 12 inside teams, 54 across → 42 / 66
    assert random_ei(teams, teams) == pytest.approx(42 / 66)
    # per team: 3 × 9 = 27 external pairs, 3 internal → 24 / 30
    assert random_ei_by_team(teams, teams) == {t: pytest.approx(0.8) for t in "ABCD"}


TEAMS = {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "c1": "C"}
HISTORY = [
    g(1, "a1", "a2", outcome=Outcome.MET),
    g(1, "b1", "c1"),
    g(2, "a1", "b1"),
    g(2, "a2", "b2", "c1", outcome=Outcome.NOT_MET),  # a failed meeting is no tie
    g(3, "a1", "b1", outcome=Outcome.MET),  # the same tie again: still one
    g(3, "a2", "c1", outcome=Outcome.MET),
]


def test_a_mixed_network_counted_by_hand():
    found = ties(HISTORY)
    assert found == {
        frozenset({"a1", "a2"}): 1,
        frozenset({"b1", "c1"}): 1,
        frozenset({"a1", "b1"}): 2,
        frozenset({"a2", "c1"}): 3,
    }
    assert team_ties(found, TEAMS) == {
        ("A", "A"): 1,
        ("A", "B"): 1,
        ("A", "C"): 1,
        ("B", "C"): 1,
    }
    assert ei_index(found, TEAMS) == pytest.approx(0.5)  # (3 − 1) / 4
    assert ei_by_team(found, TEAMS) == {
        "A": pytest.approx(1 / 3),
        "B": 1.0,
        "C": 1.0,
    }
    # 10 pairs among 5 people, 2 inside teams → (8 − 2) / 10
    assert random_ei(TEAMS, TEAMS) == pytest.approx(0.6)
    assert random_ei_by_team(TEAMS, TEAMS) == {
        "A": pytest.approx(5 / 7),
        "B": pytest.approx(5 / 7),
        "C": 1.0,
    }
    assert reach(found, TEAMS, TEAMS) == {"a1": 1, "a2": 1, "b1": 2, "b2": 0, "c1": 2}
    assert isolated(found, TEAMS, TEAMS) == ("b2",)
    impact = network_impact(HISTORY, teams=TEAMS, people=TEAMS)
    assert impact.reach_spread.median == 1
    assert impact.reach_spread.p10 == pytest.approx(0.4)  # [0, 1, 1, 2, 2] at rank 0.4
    assert impact.reach_spread.p90 == 2
    assert impact.ei_index_random == pytest.approx(0.6)
    assert impact.teams == ("A", "B", "C")
    assert impact.bridges == ()


def test_people_without_a_team_are_neither_internal_nor_external_nor_isolated():
    teams = {"a1": "A", "a2": "A", "x": None}
    found = ties([g(1, "a1", "x"), g(2, "a1", "a2")])
    assert ei_index(found, teams) == -1.0
    assert isolated(found, teams, teams) == ("a1", "a2")
    assert ei_index(ties([g(1, "a1", "x")]), teams) is None
    assert random_ei(["x"], teams) is None


def test_trend_round_by_round_against_the_random_baseline():
    points = trend(HISTORY, TEAMS)
    assert [p.round for p in points] == [1, 2, 3]
    first, second, third = points
    assert first.ei_round == 0.0  # a1–a2 inside, b1–c1 across
    assert first.ei_round_random == pytest.approx(2 / 3)  # a1 a2 b1 c1: 6 pairs, 1 inside
    assert (first.ties, first.cross_team_ties, first.meeting_rate) == (2, 1, 1.0)
    assert first.reach_median == 0.5  # [0, 0, 1, 1]
    assert second.ei_round == 1.0
    assert second.ei_round_random == pytest.approx(0.6)
    assert second.ei_cumulative == pytest.approx(1 / 3)  # 2 across, 1 inside
    assert (second.ties, second.cross_team_ties, second.meeting_rate) == (3, 2, 0.0)
    assert third.ei_round == 1.0
    assert third.ei_cumulative == pytest.approx(0.5)
    assert third.ei_cumulative_random == pytest.approx(0.6)
    assert (third.ties, third.cross_team_ties, third.meeting_rate) == (4, 3, 1.0)
    assert third.reach_median == 1


def test_bridges_are_the_team_links_without_which_two_parts_would_not_be_connected():
    matrix = {
        ("A", "A"): 3,
        ("A", "B"): 2,
        ("B", "C"): 1,
        ("C", "D"): 1,
        ("B", "D"): 1,
        ("D", "E"): 1,
        ("F", "G"): 1,
    }
    assert bridges(matrix) == (("A", "B"), ("D", "E"), ("F", "G"))


def test_newcomers_days_to_first_meeting_and_first_cross_team_tie():
    day = lambda d: datetime(2026, 1, d, 9, tzinfo=UTC)  # noqa: E731
    joined = {p: day(1) for p in TEAMS}
    rounds = {1: day(8), 2: day(15), 3: day(22)}
    found = {i.person: i for i in integration(HISTORY, TEAMS, joined, rounds)}
    assert (found["a1"].days_to_first_meeting, found["a1"].days_to_first_cross_team_tie) == (7, 14)
    assert (found["b1"].days_to_first_meeting, found["b1"].days_to_first_cross_team_tie) == (21, 7)
    assert (found["c1"].days_to_first_meeting, found["c1"].days_to_first_cross_team_tie) == (21, 7)
    assert (found["b2"].days_to_first_meeting, found["b2"].days_to_first_cross_team_tie) == (
        None,
        None,
    )


def test_mentor_waits_from_joining_to_a_first_mentorship_and_of_those_waiting_now():
    day = lambda d: datetime(2026, 1, d, 9, tzinfo=UTC)  # noqa: E731
    joined = {"m1": day(1), "m2": day(1), "m3": day(5), "m4": day(10), "m5": day(20), "m6": day(28)}
    # m3's mentorship started within a second of joining (same day): no wait, never below
    started = {"m1": day(1), "m2": day(15), "m3": day(5), "m4": day(21)}
    # m5, m6 never had a mentor; m1's ended on the 29th, and they wait for another
    waiting = {"m5": day(20), "m6": day(28), "m1": day(29)}
    waits = mentor_waits(joined, started, waiting, now=day(31))
    assert (waits.matched, waits.to_mentor.median) == (4, 5.5)  # of 0, 0, 11, 14 days
    assert waits.to_mentor.p90 == pytest.approx(13.1)
    assert (waits.waiting_longest, waits.waiting_median) == (11, 3.0)  # of 11, 3, 2 days
    nobody = mentor_waits({}, {}, {}, now=day(31))
    assert (nobody.matched, nobody.to_mentor.median, nobody.waiting_longest) == (0, None, None)


def test_outcomes_by_dimension_and_the_privacy_floor():
    answers = ["learned", "career", "idea", "collaborate", "friend", "nothing", "learned"]
    counted = outcomes([*answers, None, "bogus"], [5, 4, None, 3, 9])
    assert counted.answers == 7
    assert counted.by_dimension == {
        Dimension.CAREER: 1,
        Dimension.SKILLS: 2,
        Dimension.RELATIONSHIPS: 1,
        Dimension.ORGANISATION: 2,
    }
    assert counted.nothing == 1
    assert (counted.ratings, counted.mean_rating) == (3, 4.0)
    assert counted.shown and not counted.rating_shown
    assert not outcomes(answers[:4]).shown
    with_mentoring = outcomes(answers, extra={"career": 2}, extra_answers=2)
    assert with_mentoring.by_dimension[Dimension.CAREER] == 3
    assert with_mentoring.answers == 9


def test_percentiles_interpolate_between_ranks():
    assert percentile([], 0.5) is None
    assert percentile([3], 0.9) == 3
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([10, 0, 5], 0.1) == pytest.approx(1.0)


def test_reach_and_isolation_are_about_current_members_the_baseline_about_everyone():
    history = [g(1, "a1", "b1"), g(1, "a2", "a3")]
    impact = network_impact(history, teams=TWO_TEAMS, people=["a2", "b2"])
    assert impact.isolated == ("a2", "b2")  # a1 and b1 left; a3 left
    assert set(impact.reach) == {"a2", "b2"}
    assert impact.people == ("a1", "a2", "a3", "b1", "b2")
    # 5 people: 3 in A, 2 in B → 10 pairs, 4 inside → (6 − 4) / 10
    assert impact.ei_index_random == pytest.approx(0.2)


def test_the_company_network_starts_siloed_and_moves_with_each_cross_team_tie():
    # team-mates know each other: A has 3 pairs, B 3 pairs → 6 internal ties, −1
    assert company_ei(TWO_TEAMS, TWO_TEAMS) == -1.0
    mixed = ties([g(1, "a1", "b1"), g(1, "a2", "b2"), g(2, "a3", "b3"), g(2, "a1", "a2")])
    # 3 ties across (a1–a2 was there already) → (3 − 6) / 9
    assert company_ei(TWO_TEAMS, TWO_TEAMS, mixed) == pytest.approx(-1 / 3)
    points = trend([g(1, "a1", "b1"), g(1, "a2", "b2"), g(2, "a3", "b3")], TWO_TEAMS, TWO_TEAMS)
    assert [p.ei_company for p in points] == [pytest.approx(-0.5), pytest.approx(-1 / 3)]
    impact = network_impact([g(1, "a1", "b1")], teams=TWO_TEAMS, people=TWO_TEAMS)
    assert impact.ei_company_start == -1.0
    assert impact.ei_company == pytest.approx(-5 / 7)  # (1 − 6) / 7
