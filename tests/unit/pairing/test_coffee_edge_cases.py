"""Small and awkward coffee rounds, case by case."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from pairing.coffee import plan_coffee_round
from pairing.models import Member, Outcome, PastGroup, Plan, ReasonKind, UnmatchedReason
from pairing.options import CoffeeOptions


def as_history(plan: Plan, round_number: int) -> list[PastGroup]:
    return [PastGroup(round_number, frozenset(g.members)) for g in plan.groups]


def pairs_of(groups: Iterable[Iterable[str]]) -> set[frozenset[str]]:
    groups = [tuple(g) for g in groups]
    return {frozenset((a, b)) for g in groups for a in g for b in g if a < b}


def peers(n: int) -> list[Member]:
    return [Member(id=f"p{k:03d}") for k in range(n)]


def placed_ids(plan: Plan) -> list[str]:
    return [m for g in plan.groups for m in g.members]


@pytest.mark.parametrize(
    ("n", "sizes", "unmatched"),
    [
        (0, [], []),
        (1, [], [UnmatchedReason.ALONE]),
        (2, [2], []),
        (3, [3], []),
        (5, [2, 3], []),
    ],
)
def test_tiny_rounds_form_pairs_and_one_triple(n, sizes, unmatched):
    plan = plan_coffee_round(peers(n), [], seed=1)
    assert sorted(len(g.members) for g in plan.groups) == sizes
    assert [u.reason for u in plan.unmatched] == unmatched


def test_odd_numbers_put_exactly_one_person_into_a_group_of_three():
    plan = plan_coffee_round(peers(11), [], seed=3)
    assert sorted(len(g.members) for g in plan.groups) == [2, 2, 2, 2, 3]


def test_when_everyone_has_met_everyone_the_oldest_pairs_meet_again():
    people = peers(4)
    a, b, c, d = (m.id for m in people)
    history = [
        PastGroup(1, frozenset({a, b})),
        PastGroup(1, frozenset({c, d})),
        PastGroup(2, frozenset({a, c})),
        PastGroup(2, frozenset({b, d})),
        PastGroup(3, frozenset({a, d})),
        PastGroup(3, frozenset({b, c})),
    ]
    plan = plan_coffee_round(people, history, seed=0)
    assert {frozenset(g.members) for g in plan.groups} == {frozenset({a, b}), frozenset({c, d})}
    assert plan.repeats == 2
    assert all(ReasonKind.REPEAT in {r.kind for r in g.reasons} for g in plan.groups)
    assert any("repeat" in note for note in plan.notes)


def test_a_member_with_no_overlapping_hours_is_still_paired_and_told_so():
    tokyo = Member("tokyo", utc_offset=540)
    others = [Member(f"sf{k}", utc_offset=-420) for k in range(3)]
    plan = plan_coffee_round([tokyo, *others], [], seed=0)
    group = next(g for g in plan.groups if "tokyo" in g.members)
    assert [r.kind for r in group.reasons if r.kind == ReasonKind.NO_OVERLAP] == [
        ReasonKind.NO_OVERLAP
    ]


def test_no_overlap_pairs_are_a_last_resort():
    people = [
        Member("tokyo1", utc_offset=540),
        Member("tokyo2", utc_offset=540),
        Member("sf1", utc_offset=-420),
        Member("sf2", utc_offset=-420),
    ]
    plan = plan_coffee_round(people, [], seed=0)
    assert pairs_of(g.members for g in plan.groups) == {
        frozenset({"tokyo1", "tokyo2"}),
        frozenset({"sf1", "sf2"}),
    }


def test_manager_and_report_alone_are_not_paired():
    boss, report = Member("boss"), Member("report", managers=("boss",))
    plan = plan_coffee_round([boss, report], [], seed=0)
    assert plan.groups == ()
    assert {u.reason for u in plan.unmatched} == {UnmatchedReason.NO_ALLOWED_PARTNER}


def test_the_reporting_line_may_be_allowed():
    boss, report = Member("boss"), Member("report", managers=("boss",))
    options = CoffeeOptions(exclude_reporting_line=False)
    plan = plan_coffee_round([boss, report], [], seed=0, options=options)
    assert placed_ids(plan) == ["boss", "report"]


def test_a_missed_meeting_counts_as_met_unless_reoffer_is_on():
    people = peers(4)
    a, b, c, d = (m.id for m in people)
    history = [
        PastGroup(1, frozenset({a, b}), Outcome.NOT_MET),
        PastGroup(1, frozenset({c, d}), Outcome.MET),
        PastGroup(2, frozenset({a, c}), Outcome.MET),
        PastGroup(2, frozenset({b, d}), Outcome.MET),
        PastGroup(3, frozenset({a, d}), Outcome.MET),
        PastGroup(3, frozenset({b, c}), Outcome.MET),
    ]
    default = plan_coffee_round(people, history, seed=0)
    assert default.repeats == 2
    reoffer = plan_coffee_round(people, history, seed=0, options=CoffeeOptions(reoffer_missed=True))
    ab = next(g for g in reoffer.groups if set(g.members) == {a, b})
    assert ReasonKind.MISSED_LAST_TIME in {r.kind for r in ab.reasons}
    assert (ab.repeat_pairs, reoffer.repeats) == (0, 1)


def test_someone_left_out_last_time_is_not_the_odd_one_out_again():
    people = peers(5)
    for seed in range(10):
        plan = plan_coffee_round(people, [], seed=seed, priority=frozenset({"p004"}))
        own = next(g for g in plan.groups if "p004" in g.members)
        assert len(own.members) == 2


def test_reasons_name_shared_interests_and_cross_team():
    a = Member("a", team="x", interests=frozenset({"chess", "go"}), prefers_cross_team=True)
    b = Member("b", team="y", interests=frozenset({"go"}))
    plan = plan_coffee_round([a, b], [], seed=0)
    kinds = {r.kind: r for r in plan.groups[0].reasons}
    assert kinds[ReasonKind.SHARED_INTERESTS].items == ("go",)
    assert ReasonKind.CROSS_TEAM in kinds


def test_a_repeat_free_round_follows_a_round_that_used_everyone():
    people = peers(8)
    first = plan_coffee_round(people, [], seed=0)
    second = plan_coffee_round(people, as_history(first, 0), seed=0)
    assert second.repeats == 0
    assert not pairs_of(g.members for g in first.groups) & pairs_of(
        g.members for g in second.groups
    )
