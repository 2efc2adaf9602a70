"""Mentorship intakes (pairing.intake): who takes part, normalised topics, the
longest-waiting first among equal optima, and never a former mentor."""

from __future__ import annotations

import numpy as np

from pairing.intake import Relationships, plan_intake
from pairing.mentorship import favour_waiting, plan_mentorship_round
from pairing.models import Member, Role


def _mentor(id: str, *skills: str, capacity: int = 1) -> Member:
    return Member(id=id, role=Role.MENTOR, skills=frozenset(skills), capacity=capacity)


def _mentee(id: str, *goals: str) -> Member:
    return Member(id=id, role=Role.MENTEE, goals=frozenset(goals))


def _pairs(plan) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(g.members[0], g.members[1]) for g in plan.groups}


def test_presenting_and_public_speaking_meet_and_k8s_meets_kubernetes() -> None:
    members = [
        _mentor("M1", "public speaking"),
        _mentor("M2", "Kubernetes"),
        _mentee("E1", "presenting"),
        _mentee("E2", "k8s"),
    ]
    assert plan_mentorship_round(members, [], seed=1).groups == ()  # as strings: no match
    plan = plan_intake(members, [], Relationships(), seed=1)
    assert _pairs(plan) == {("M1", "E1"), ("M2", "E2")}


def test_mentees_with_a_mentor_stay_out_and_mentors_bring_only_free_places() -> None:
    members = [
        _mentor("M1", "python", capacity=2),
        _mentor("M2", "python", capacity=1),
        _mentee("E1", "python"),
        _mentee("E2", "python"),
        _mentee("E3", "python"),
    ]
    ongoing = Relationships(open=(("M1", "E1"), ("M2", "E2")))
    plan = plan_intake(members, [], ongoing, seed=1)
    assert _pairs(plan) == {("M1", "E3")}  # M2 is full, E1 and E2 have their mentor
    assert "E1" not in {u.member for u in plan.unmatched}


def test_a_former_mentor_is_never_offered_again() -> None:
    members = [_mentor("M1", "python"), _mentee("E1", "python")]
    plan = plan_intake(members, [], Relationships(former=(("M1", "E1"),)), seed=1)
    assert plan.groups == ()
    assert [(u.member, u.reason.value) for u in plan.unmatched if u.member == "E1"] == [
        ("E1", "no_compatible_mentor")
    ]


def test_among_equal_matches_the_longest_waiting_mentee_goes_first() -> None:
    members = [_mentor("M1", "python"), _mentee("E1", "python"), _mentee("E2", "python")]
    by_id = plan_intake(members, [], Relationships(), seed=1)
    first = next(iter(_pairs(by_id)))[1]
    other = "E2" if first == "E1" else "E1"
    waited = plan_intake(members, [], Relationships(waiting={first: 3, other: 40}), seed=1)
    assert _pairs(waited) == {("M1", other)}


def test_waiting_never_outweighs_a_better_match() -> None:
    members = [
        _mentor("M1", "python", "sql"),
        _mentee("E1", "python", "sql"),  # two goals covered: the better match
        _mentee("E2", "python"),
    ]
    plan = plan_intake(members, [], Relationships(waiting={"E1": 0, "E2": 500}), seed=1)
    assert _pairs(plan) == {("M1", "E1")}


def test_favour_waiting_keeps_the_order_of_different_scores() -> None:
    costs = np.array([[5, 0], [4, 3]], np.int64)
    favoured = favour_waiting(costs, [0, 9])
    assert favoured[0, 0] > favoured[1, 0] > favoured[1, 1] > 0 and favoured[0, 1] == 0


def test_the_skills_gap_counts_what_waiting_mentees_want_against_what_mentors_offer() -> None:
    from pairing.intake import GapLine, skills_gap

    gap = skills_gap(
        [["Presenting"], ["public-speaking", "negotiation"], ["k8s"], ["Negotiating"]],
        [["public speaking"], ["Kubernetes"], ["Kubernetes"]],
        topics=["public speaking", "Kubernetes"],
    )
    assert gap.lines[0] == GapLine("negotiation", 2, 0)
    assert GapLine("public speaking", 2, 1) in gap.lines
    assert GapLine("kubernetes", 1, 2) == gap.lines[-1]
    assert gap.unmatched == (("negotiation", 2),)
