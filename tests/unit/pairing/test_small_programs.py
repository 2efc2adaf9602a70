"""Small programs (up to 64 members) are matched exactly: tight reporting lines and a
long history leave few allowed pairs, where a near-optimal heuristic can miss by 15%."""

from __future__ import annotations

import random
from itertools import combinations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pairing.coffee import plan_coffee_round
from pairing.models import Member, PastGroup
from pairing.options import Weights
from pairing.scoring import coffee_group_score, coffee_pair_score

WEIGHTS = Weights()


def company(n: int, seed: int) -> tuple[list[Member], list[PastGroup]]:
    """Teams with a lead each under one head (who may meet nobody), random hours and
    interests, and two earlier rounds that included people who have left. Each round
    had a trio of current members, so the pairs not met yet never form a regular graph
    (which would let the engine trade score for the repeat-free rounds to come)."""
    rng = random.Random(seed)
    members = [Member("head", team="t0", managers=("ceo",))]
    for k in range(1, n):
        team = f"t{k % 4}"
        lead = f"m{k % 4:03d}" if k > 4 else "head"
        members.append(
            Member(
                f"m{k:03d}",
                utc_offset=rng.choice([-300, 0, 60, 330]),
                work_start=rng.choice([7, 8, 9, 10]) * 60,
                work_end=rng.choice([15, 16, 17, 18]) * 60,
                team=team,
                managers=(lead, "head") if lead != "head" else ("head",),
                interests=frozenset(rng.sample(["go", "chess", "ski", "tea", "jazz"], 2)),
                prefers_cross_team=rng.random() < 0.3,
            )
        )
    current = [m.id for m in members[1:]]
    history: list[PastGroup] = []
    for r in range(2):
        rng.shuffle(current)
        ids = [*current[3:], "gone1", "gone2"]
        rng.shuffle(ids)
        history.append(PastGroup(r, frozenset(current[:3])))
        history += [PastGroup(r, frozenset(ids[i : i + 2])) for i in range(0, len(ids) - 1, 2)]
    return members, history


def line(a: Member, b: Member) -> bool:
    return a.id in b.managers or b.id in a.managers


def allowed_graph(members: list[Member], history: list[PastGroup]) -> nx.Graph:
    met = {frozenset(p) for g in history for p in combinations(sorted(g.members), 2)}
    graph = nx.Graph()
    for a, b in combinations(members, 2):
        if not line(a, b) and frozenset((a.id, b.id)) not in met:
            graph.add_edge(a.id, b.id, weight=coffee_pair_score(a, b, WEIGHTS))
    return graph


@settings(max_examples=25, deadline=None)
@given(st.integers(6, 40), st.integers(0, 2**31))
def test_pairs_score_the_exact_optimum_when_nobody_has_to_repeat(n, seed):
    members, history = company(n, seed)
    graph = allowed_graph(members, history)
    best = nx.max_weight_matching(graph, maxcardinality=True)
    placeable = [m for m in members if any(not line(m, o) for o in members if o is not m)]
    if len(placeable) % 2 or 2 * len(best) < len(placeable):
        return  # a trio, or a repeat, is needed: another test's concern
    plan = plan_coffee_round(members, history, seed=seed)
    optimum = sum(graph[a][b]["weight"] for a, b in best)
    assert plan.repeats == 0
    assert plan.score == pytest.approx(optimum)


def best_with_one_trio(members: list[Member], graph: nx.Graph) -> float:
    """Brute force: every trio of allowed pairs, plus the best matching of the rest."""
    best = -float("inf")
    by_id = {m.id: m for m in members}
    for trio in combinations(graph.nodes, 3):
        if not all(graph.has_edge(a, b) for a, b in combinations(trio, 2)):
            continue
        rest = graph.subgraph(v for v in graph if v not in trio)
        matching = nx.max_weight_matching(rest, maxcardinality=True)
        if 2 * len(matching) < len(rest) - sum(1 for v in rest if not rest.degree(v)):
            continue
        score = coffee_group_score([by_id[v] for v in trio], WEIGHTS) + sum(
            rest[a][b]["weight"] for a, b in matching
        )
        best = max(best, score)
    return best


@pytest.mark.parametrize("seed", range(8))
def test_an_odd_program_chooses_its_trio_close_to_the_best(seed):
    members, _ = company(10, seed)  # the head meets nobody: nine to place
    graph = allowed_graph(members, [])
    plan = plan_coffee_round(members, [], seed=seed)
    assert sorted(len(g.members) for g in plan.groups).count(3) == 1
    assert plan.score >= 0.97 * best_with_one_trio(members, graph)


def test_any_integer_is_a_seed():
    members, history = company(12, 1)
    negative = plan_coffee_round(members, history, seed=-1)
    assert negative.groups == plan_coffee_round(members, history, seed=2**64 - 1).groups
    assert negative.seed == -1


def test_the_same_id_twice_is_refused_unless_it_is_the_same_member():
    a, b, c = Member("a", team="x"), Member("b"), Member("c")
    assert plan_coffee_round([a, b, a, c], [], seed=1) == plan_coffee_round([a, b, c], [], seed=1)
    with pytest.raises(ValueError, match="'a' is given twice"):
        plan_coffee_round([a, b, Member("a", team="y"), c], [], seed=1)
