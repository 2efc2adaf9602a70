"""The large-program paths (sparse pairs, groups in blocks), exercised at small sizes."""

from __future__ import annotations

from collections import Counter

import pytest

import pairing.coffee
from bench.synthetic import synthetic_members
from pairing.coffee import plan_coffee_round
from pairing.models import PastGroup
from pairing.options import CoffeeOptions


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pairing.coffee, "DENSE_LIMIT", 40)
    monkeypatch.setattr(pairing.coffee, "GROUP_BLOCK", 30)


@pytest.mark.usefixtures("small_limits")
@pytest.mark.parametrize("n", [121, 200])
def test_sparse_rounds_place_everyone_and_never_repeat_while_avoidable(n):
    members = synthetic_members(n, seed=n, managers=True)
    by_id = {m.id: m for m in members}
    history: list[PastGroup] = []
    for r in range(4):
        plan = plan_coffee_round(members, history, seed=r)
        assert plan == plan_coffee_round(list(reversed(members)), history, seed=r)
        placed = [x for g in plan.groups for x in g.members]
        assert Counter(placed) == Counter(by_id.keys())
        assert plan.repeats == 0
        assert sorted({len(g.members) for g in plan.groups}) == ([2, 3] if n % 2 else [2])
        for g in plan.groups:
            assert not any(b in by_id[a].managers for a in g.members for b in g.members)
        history += [PastGroup(r, frozenset(g.members)) for g in plan.groups]


@pytest.mark.usefixtures("small_limits")
def test_groups_of_three_in_a_large_program_are_formed_block_by_block():
    members = synthetic_members(100, seed=4)
    plan = plan_coffee_round(members, [], seed=1, options=CoffeeOptions(group_size=3))
    assert Counter(x for g in plan.groups for x in g.members) == Counter(m.id for m in members)
    assert {len(g.members) for g in plan.groups} <= {3, 4}
    assert plan.score == pytest.approx(sum(g.score for g in plan.groups))


@pytest.mark.usefixtures("small_limits")
def test_a_large_program_finds_the_one_repeat_free_round_its_candidates_miss():
    # Everyone has met everyone but one hidden partner: the only repeat-free round is
    # that perfect matching, which the candidate graph of the sparse path mostly lacks.
    members = synthetic_members(60, seed=9)
    ids = sorted(m.id for m in members)
    hidden = {frozenset((ids[k], ids[(k + 29) % 60])) for k in range(0, 60, 2)}
    assert len(hidden) == 30 and len({x for p in hidden for x in p}) == 60
    history = [
        PastGroup(r % 50, frozenset((a, b)))
        for r, (a, b) in enumerate((a, b) for a in ids for b in ids if a < b)
        if frozenset((a, b)) not in hidden
    ]
    plan = plan_coffee_round(members, history, seed=3)
    assert plan.repeats == 0
    assert {frozenset(g.members) for g in plan.groups} == hidden
