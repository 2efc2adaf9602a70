"""The large-program paths (sparse pairs, groups in blocks), exercised at small sizes."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

import pairing.block_refine
import pairing.coffee
from bench.baselines import greedy_top_partners, groups_score
from bench.synthetic import synthetic_members
from pairing.block_refine import refine_in_blocks
from pairing.candidates import PairWeights, interest_key_pairs
from pairing.coffee import plan_coffee_round
from pairing.history import PairHistory
from pairing.models import PastGroup
from pairing.options import CoffeeOptions, Weights
from pairing.table import MemberTable


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


@pytest.mark.usefixtures("small_limits")
@pytest.mark.parametrize(("n", "managers"), [(300, False), (401, True)])
def test_sparse_rounds_score_at_least_the_greedy_on_everyones_best_partners(
    monkeypatch: pytest.MonkeyPatch, n: int, managers: bool
) -> None:
    monkeypatch.setattr(pairing.block_refine, "BLOCK", 120)  # several blocks per pass
    weights = Weights()
    members = synthetic_members(n, seed=n + 1, managers=managers)
    history: list[PastGroup] = []
    for r in range(6):
        plan = plan_coffee_round(members, history, seed=r)
        greedy, _ = greedy_top_partners(members, history, weights, seed=r)
        assert plan.repeats == 0
        assert plan.score >= groups_score(members, greedy, weights)
        history += [PastGroup(r, frozenset(g.members)) for g in plan.groups]


def test_re_matching_in_blocks_never_lowers_the_weight_and_keeps_pairs_unmet() -> None:
    n = 400
    members = synthetic_members(n, seed=3)
    table = MemberTable.of(members)
    index = {m.id: k for k, m in enumerate(members)}
    rng = np.random.default_rng(5)
    first = np.arange(0, n, 2)
    past = PairHistory.of(
        [PastGroup(0, frozenset((members[a].id, members[a + 1].id))) for a in first.tolist()],
        index,
        reoffer_missed=False,
    )
    empty = np.zeros(0, np.int64)
    pw = PairWeights(table, past, (empty, empty), Weights(), np.zeros(n, bool), rng)
    mate = np.full(n, -1, dtype=np.int64)
    second = rng.permutation(n)  # a random matching, mostly of unmet pairs
    a, b = second[0::2], second[1::2]
    ok = ~past.lookup(a, b)[0]
    mate[a[ok]], mate[b[ok]] = b[ok], a[ok]

    def weight() -> float:
        x = np.flatnonzero(mate > np.arange(n))
        return float(pw.weights(x, mate[x], jitter=False).sum())

    before = weight()
    refine_in_blocks(pw, table, mate, rng)
    assert weight() > before
    x = np.flatnonzero(mate >= 0)
    assert (mate[mate[x]] == x).all() and not past.lookup(x, mate[x])[0].any()


def test_people_who_share_three_interests_are_candidates_wherever_they_are() -> None:
    members = synthetic_members(2000, seed=8)
    rare = frozenset({"rare-a", "rare-b", "rare-c"})
    members[17] = replace(members[17], interests=rare | {"interest-00"})
    members[1900] = replace(members[1900], interests=rare)
    table = MemberTable.of(members)
    i, j = interest_key_pairs(table, np.arange(len(members)), np.random.default_rng(1))
    assert {17, 1900} in [{a, b} for a, b in zip(i.tolist(), j.tolist(), strict=True)]
