"""Mentorship rounds: exactly optimal, within capacity, with honest reasons."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pairing.mentorship import plan_mentorship_round
from pairing.models import Member, PastGroup, ReasonKind, Role, UnmatchedReason
from pairing.options import MentorshipOptions
from pairing.scoring import mentorship_score

SKILLS = ["go", "sql", "ml", "ux", "ops"]


def mentor(name: str, skills: set[str], capacity: int = 1, **fields: Any) -> Member:
    return Member(
        name, role=Role.MENTOR, skills=frozenset(skills), capacity=capacity, seniority=5, **fields
    )


def mentee(name: str, goals: set[str], **fields: Any) -> Member:
    return Member(name, role=Role.MENTEE, goals=frozenset(goals), **fields)


def exact_optimum(members: list[Member], options: MentorshipOptions, history=()) -> float:
    """Independent check: max-weight matching on the slot-expanded bipartite graph."""
    met = {frozenset(g.members) for g in history}
    graph = nx.Graph()
    for m in members:
        if m.role != Role.MENTOR:
            continue
        for e in members:
            if e.role != Role.MENTEE:
                continue
            score = mentorship_score(m, e, options.weights)
            if score <= 0 or frozenset((m.id, e.id)) in met:
                continue
            if options.exclude_reporting_line and (m.id in e.managers or e.id in m.managers):
                continue
            if options.avoid_same_team and m.team is not None and m.team == e.team:
                continue
            for slot in range(m.capacity):
                graph.add_edge(("slot", m.id, slot), ("mentee", e.id), weight=score)
    matching = nx.max_weight_matching(graph)
    return float(sum(graph.edges[a, b]["weight"] for a, b in matching))


programs = st.integers(0, 2**31).flatmap(
    lambda seed: st.tuples(
        st.lists(
            st.tuples(
                st.frozensets(st.sampled_from(SKILLS), min_size=1, max_size=3),
                st.integers(0, 3),
                st.sampled_from([-300, 0, 330, 540]),
                st.sampled_from(["a", "b"]),
            ),
            min_size=1,
            max_size=5,
        ),
        st.lists(
            st.tuples(
                st.frozensets(st.sampled_from(SKILLS), min_size=1, max_size=2),
                st.integers(0, 4),
                st.sampled_from([-300, 0, 330, 540]),
                st.sampled_from(["a", "b"]),
            ),
            min_size=1,
            max_size=9,
        ),
        st.just(seed),
    )
)


def build(program) -> list[Member]:
    mentors, mentees, _ = program
    return [
        Member(
            f"r{k}", role=Role.MENTOR, skills=s, capacity=c, utc_offset=z, team=t, seniority=k % 6
        )
        for k, (s, c, z, t) in enumerate(mentors)
    ] + [
        Member(f"e{k}", role=Role.MENTEE, goals=g, seniority=sen, utc_offset=z, team=t)
        for k, (g, sen, z, t) in enumerate(mentees)
    ]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs, st.booleans())
def test_total_score_equals_the_exact_optimum(program, same_team):
    members = build(program)
    options = MentorshipOptions(avoid_same_team=same_team)
    plan = plan_mentorship_round(members, [], seed=program[2], options=options)
    assert plan.score == pytest.approx(exact_optimum(members, options), abs=1e-9)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs)
def test_capacities_and_exclusions_hold(program):
    members = build(program)
    by_id = {m.id: m for m in members}
    plan = plan_mentorship_round(members, [], seed=0)
    load: dict[str, int] = {}
    for g in plan.groups:
        assert g.mentor == g.members[0]
        mentor_, mentee_ = by_id[g.members[0]], by_id[g.members[1]]
        assert (mentor_.role, mentee_.role) == (Role.MENTOR, Role.MENTEE)
        assert g.score == mentorship_score(mentor_, mentee_, MentorshipOptions().weights) > 0
        load[mentor_.id] = load.get(mentor_.id, 0) + 1
    assert all(load[m] <= by_id[m].capacity for m in load)
    matched = {g.members[1] for g in plan.groups}
    waiting = {u.member for u in plan.unmatched if u.reason != UnmatchedReason.NO_MENTEES}
    assert matched | waiting == {m.id for m in members if m.role == Role.MENTEE}
    assert not matched & waiting


def test_each_match_says_which_goals_the_mentors_skills_cover():
    plan = plan_mentorship_round(
        [mentor("r", {"go", "sql"}), mentee("e", {"go", "ux"})], [], seed=0
    )
    reasons = {r.kind: r for r in plan.groups[0].reasons}
    assert reasons[ReasonKind.SKILLS_FOR_GOALS].items == ("go",)
    assert ReasonKind.OVERLAPPING_HOURS in reasons


def test_mentees_beyond_capacity_wait_with_no_capacity():
    members = [mentor("r", {"go"}, capacity=1), mentee("e1", {"go"}), mentee("e2", {"go"})]
    plan = plan_mentorship_round(members, [], seed=0)
    assert len(plan.groups) == 1
    assert [u.reason for u in plan.unmatched] == [UnmatchedReason.NO_CAPACITY]


def test_a_mentor_with_no_capacity_left_takes_nobody():
    members = [mentor("r", {"go"}, capacity=0), mentee("e", {"go"})]
    plan = plan_mentorship_round(members, [], seed=0)
    assert plan.groups == ()
    assert {(u.member, u.reason) for u in plan.unmatched} == {
        ("e", UnmatchedReason.NO_CAPACITY),
        ("r", UnmatchedReason.NO_MENTEES),
    }


def test_a_mentee_whose_goals_nobody_covers_has_no_compatible_mentor():
    members = [mentor("r", {"go"}, capacity=3), mentee("e", {"ml"})]
    plan = plan_mentorship_round(members, [], seed=0)
    assert (plan.unmatched[0].member, plan.unmatched[0].reason) == (
        "e",
        UnmatchedReason.NO_COMPATIBLE_MENTOR,
    )


def test_previous_pairs_reporting_line_and_same_team_are_excluded():
    r = mentor("r", {"go"}, capacity=3, team="core")
    previous = mentee("prev", {"go"})
    report = mentee("report", {"go"}, managers=("r",))
    teammate = mentee("mate", {"go"}, team="core")
    history = [PastGroup(1, frozenset({"r", "prev"}))]
    options = MentorshipOptions(avoid_same_team=True)
    plan = plan_mentorship_round([r, previous, report, teammate], history, seed=0, options=options)
    assert plan.groups == ()
    assert {u.reason for u in plan.unmatched if u.member != "r"} == {
        UnmatchedReason.NO_COMPATIBLE_MENTOR
    }
    allowed = plan_mentorship_round(
        [r, previous], history, seed=0, options=MentorshipOptions(exclude_previous_pairs=False)
    )
    assert len(allowed.groups) == 1


def test_the_best_mentor_goes_where_it_matters_most():
    # Greedy would give r1 to e1 (its best) and leave e2 without anyone.
    r1, r2 = mentor("r1", {"go", "sql"}), mentor("r2", {"go"})
    e1, e2 = mentee("e1", {"go"}), mentee("e2", {"sql"})
    plan = plan_mentorship_round([r1, r2, e1, e2], [], seed=0)
    assert {g.members for g in plan.groups} == {("r1", "e2"), ("r2", "e1")}
