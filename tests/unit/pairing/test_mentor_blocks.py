"""Mentorship costs in blocks and the certified assignment over them: the same integers
as the public score at any minute (night shifts, 24-hour days, odd minutes), and an
optimum certified by potentials over every allowed pair, equal to a plain min-cost flow
over all of them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.graph.python import min_cost_flow

import pairing.mentor_pricing as pricing
import pairing.mentor_scan as scanning
from pairing.mentor_blocks import DenseCosts
from pairing.mentor_costs import cost_scale, mentorship_costs
from pairing.mentor_hours import quietest_minute
from pairing.mentor_solver import assign
from pairing.mentor_types import TypeBound
from pairing.mentorship import cost_source, mentor_order, plan_mentorship_round
from pairing.models import Member, PastGroup, Role, distinct_members
from pairing.options import MentorshipOptions
from pairing.table import MemberTable

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SKILLS = [f"s{k}" for k in range(7)]


def odd_people(
    seed: int,
    mentors: int,
    mentees: int,
    zones: list[int] | None = None,
    levels: tuple[int, int] = (-1, 6),
    rooms: tuple[int, int] = (0, 4),
    every: int = 5,
) -> list[Member]:
    """Working hours at any minute, a few night shifts and 24-hour days, shared teams;
    with ``zones``, the default hours in one of those time zones instead (few windows),
    mentees of seniority in ``levels``, mentors with room in ``rooms``; a manager for
    every ``every``-th mentee."""
    rng = np.random.default_rng(seed)

    def hours() -> dict[str, int]:
        if zones is not None:
            return {"utc_offset": int(rng.choice(zones))}
        kind = rng.integers(0, 6)
        if kind == 0:
            return {"work_start": 0, "work_end": 0, "utc_offset": int(rng.integers(-720, 720))}
        start = int(rng.integers(0, 24 * 60))
        end = (start + int(rng.integers(60, 720))) % 1440
        return {"work_start": start, "work_end": end, "utc_offset": int(rng.integers(-720, 720))}

    def pick(most: int) -> frozenset[str]:
        return frozenset(rng.choice(SKILLS, int(rng.integers(1, most + 1)), replace=False))

    people = [
        Member(
            f"r{k:03d}",
            role=Role.MENTOR,
            skills=pick(4),
            capacity=int(rng.integers(*rooms)),
            seniority=int(rng.integers(0, 8)),
            team=f"t{rng.integers(0, 3)}",
            **hours(),
        )
        for k in range(mentors)
    ]
    people += [
        Member(
            f"e{k:03d}",
            role=Role.MENTEE,
            goals=pick(3),
            seniority=int(rng.integers(*levels)),
            team=f"t{rng.integers(0, 3)}",
            managers=(f"r{k % max(mentors, 1):03d}",) if k % every == 0 else (),
            **hours(),
        )
        for k in range(mentees)
    ]
    return people


def zoned_people(seed: int, mentors: int, mentees: int) -> list[Member]:
    """Few working-hour windows and seniorities (the mentee types the dual check by type
    uses), with managers and shared teams."""
    return odd_people(seed, mentors, mentees, [-300, 0, 60, 330], (0, 2), (1, 4), 7)


def plain_flow(costs: np.ndarray, capacity: np.ndarray) -> int:
    """Min-cost flow over every allowed pair (independent of the pricing)."""
    rows, cols = costs.shape
    e, r = np.nonzero(costs > 0)
    flow = min_cost_flow.SimpleMinCostFlow()
    sink = rows + cols
    tails = np.concatenate([e, np.arange(rows), rows + np.arange(cols)]).astype(np.int32)
    heads = np.concatenate([rows + r, np.full(rows + cols, sink)]).astype(np.int32)
    caps = np.concatenate([np.ones(len(e) + rows, np.int64), np.maximum(capacity, 0)])
    unit = np.concatenate([-costs[e, r].astype(np.int64), np.zeros(rows + cols, np.int64)])
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, unit)
    supply = np.zeros(sink + 1, np.int64)
    supply[:rows], supply[sink] = 1, -rows
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supply)
    assert flow.solve() == flow.OPTIMAL
    return -int(flow.optimal_cost())


def sides(people: list[Member]) -> tuple[np.ndarray, np.ndarray]:
    mentors = np.array([k for k, m in enumerate(people) if m.role is Role.MENTOR], np.int64)
    mentees = np.array([k for k, m in enumerate(people) if m.role is Role.MENTEE], np.int64)
    return mentors, mentees


def program(people: list[Member], same_team: bool):
    """The distinct members, the options, and the indices of mentors and mentees."""
    people = distinct_members(people)
    return (people, MentorshipOptions(avoid_same_team=same_team), *sides(people))


@SETTINGS
@given(st.integers(0, 2**31), st.booleans())
def test_blocks_and_pairs_give_the_public_scores_as_integers(seed, same_team):
    people, options, mentors, mentees = program(odd_people(seed, 9, 23), same_team)
    scale = cost_scale(options.weights)
    history = [
        PastGroup(round=1, members=frozenset({people[mentors[0]].id, people[mentees[1]].id}))
    ]
    source = cost_source(people, history, options, mentors, mentees, scale)
    table = MemberTable.of(people)
    want = np.maximum(
        mentorship_costs(table, mentors[None, :], mentees[:, None], scale, options.weights), 0
    )
    team_e, team_r = table.team[mentees][:, None], table.team[mentors][None, :]
    if same_team:
        want[(team_e == team_r) & (team_e >= 0)] = 0
    want[1, 0] = 0  # met before
    for e, k in enumerate(mentees.tolist()):
        for r, m in enumerate(mentors.tolist()):
            if people[m].id in people[k].managers:
                want[e, r] = 0
    got = source.block(0, source.rows)
    assert (got[:, : len(mentors)] == want).all() and (got[:, len(mentors) :] == 0).all()
    e, r = np.nonzero(np.ones(got.shape, bool))
    assert (source.pairs(e, r) == got[e, r]).all()


def test_the_quietest_minute_is_outside_every_window_when_one_exists():
    start = np.array([22 * 60, 8 * 60, 23 * 60 + 30])
    length = np.array([4 * 60, 9 * 60, 60])
    minute = quietest_minute(start, length)
    assert 2 * 60 <= minute < 8 * 60 or 17 * 60 <= minute < 22 * 60


@SETTINGS
@given(st.integers(0, 2**31))
def test_a_streamed_assignment_is_certified_and_equals_a_plain_flow(seed):
    people = distinct_members(odd_people(seed, 70, 130))
    options = MentorshipOptions()
    mentors, mentees = sides(people)
    mentors = mentors[[people[k].capacity > 0 for k in mentors.tolist()]]
    mentors = mentor_order(MemberTable.of(people), mentors)
    source = cost_source(people, [], options, mentors, mentees, cost_scale(options.weights))
    capacity = np.array([people[k].capacity for k in mentors.tolist()], np.int64)
    costs = source.block(0, source.rows).astype(np.int64)
    old = pricing.BLOCK
    pricing.BLOCK = scanning.BLOCK = 7 * source.cols  # many blocks of rows: streamed
    try:
        found = assign(source, capacity)
    finally:
        pricing.BLOCK = scanning.BLOCK = old
    check_certificate(costs, capacity, found)


@SETTINGS
@given(st.integers(0, 2**31), st.sampled_from([3, 40, 5000]))
def test_a_dense_assignment_is_certified_and_equals_a_plain_flow(seed, levels):
    rng = np.random.default_rng(seed)
    rows, cols = int(rng.integers(1, 90)), int(rng.integers(1, 150))
    costs = rng.integers(1, levels + 1, (rows, cols)) * (rng.random((rows, cols)) < 0.6)
    capacity = rng.integers(0, 4, cols)
    costs = costs * (capacity[None, :] > 0)
    found = assign(DenseCosts(costs.astype(np.int64)), capacity)
    padded = np.pad(costs, ((0, 0), (0, found.mentor_potential.size - cols)))
    check_certificate(padded, capacity, found)


def check_certificate(costs: np.ndarray, capacity: np.ndarray, found) -> None:
    cols = len(capacity)
    mentor_of = found.mentor_of
    matched = np.flatnonzero(mentor_of >= 0)
    assert (costs[matched, mentor_of[matched]] > 0).all()
    assert (np.bincount(mentor_of[matched], minlength=cols)[:cols] <= capacity).all()
    value = int(costs[matched, mentor_of[matched]].sum())
    assert value == plain_flow(costs[:, :cols], capacity)
    e, r = np.nonzero(costs > 0)  # no allowed pair has a negative reduced cost
    free = mentor_of[e] != r
    slack = costs[e, r] + found.mentor_potential[r] - found.mentee_potential[e]
    assert (slack[free] <= 0).all()


def test_odd_minutes_at_scale_match_a_plain_flow():
    people = odd_people(7, 150, 600)
    plan = plan_mentorship_round(people, [], seed=0)
    options = MentorshipOptions()
    members = distinct_members(people)
    mentors, mentees = sides(members)
    scale = cost_scale(options.weights)
    source = cost_source(members, [], options, mentors, mentees, scale)
    capacity = np.array([members[k].capacity for k in mentors.tolist()], np.int64)
    costs = source.block(0, source.rows)[:, : len(mentors)].astype(np.int64)
    best = plain_flow(costs * (capacity[None, :] > 0), capacity)
    assert plan.score == pytest.approx(best / scale.denominator, abs=1e-9)


@SETTINGS
@given(st.integers(0, 2**31), st.booleans())
def test_the_bound_by_type_is_each_rows_best_reduced_cost(seed, same_team):
    people, options, mentors, mentees = program(zoned_people(seed, 40, 160), same_team)
    source = cost_source(people, [], options, mentors, mentees, cost_scale(options.weights))
    columns = np.arange(source.cols) < len(mentors)
    types = TypeBound.of(source, columns)
    assert types is not None
    costs = source.block(0, source.rows).astype(np.int64)
    mentor = np.random.default_rng(seed).integers(-5000, 1, source.cols)
    reach = np.where(costs > 0, costs + mentor[None, :], np.iinfo(np.int64).min).max(axis=1)
    bound = types.best(mentor)
    assert (bound >= reach).all()  # an upper bound everywhere: exclusions only lower costs
    free = np.array([not people[k].managers for k in mentees.tolist()])
    if not same_team:  # exact where nothing is excluded
        assert (bound[free] == reach[free]).all()


@SETTINGS
@given(st.integers(0, 2**31), st.booleans())
def test_an_assignment_checked_by_type_is_certified_and_equals_a_plain_flow(seed, same_team):
    people, options, mentors, mentees = program(zoned_people(seed, 60, 300), same_team)
    mentors = mentor_order(MemberTable.of(people), mentors)
    history = [
        PastGroup(round=1, members=frozenset({people[mentors[k]].id, people[mentees[k]].id}))
        for k in range(5)
    ]
    scale = cost_scale(options.weights)
    source = cost_source(people, history, options, mentors, mentees, scale)
    capacity = np.array([people[k].capacity for k in mentors.tolist()], np.int64)
    costs = source.block(0, source.rows).astype(np.int64)
    assert TypeBound.of(source, np.ones(source.cols, bool)) is not None
    for given_source in (source, source.dense()):
        check_certificate(costs, capacity, assign(given_source, capacity))
