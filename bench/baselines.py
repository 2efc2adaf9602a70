"""What the engine is compared with: a random shuffle, networkx blossom per round, a
greedy by weight on everyone's 30 best unmet partners, and exact mentorship solvers.

The blossom baseline is the Yelp Beans approach: every round, an exact maximum-weight
matching (``networkx.max_weight_matching``, maximum cardinality) on the pairs that have
not met yet, weighted by the same public score as the engine. Whoever it cannot match
is paired at random (a repeat).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

import networkx as nx
import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from pairing.dense_context import forbidden_pairs
from pairing.history import PairHistory
from pairing.keyset import KeySet
from pairing.models import Member, PastGroup, Role
from pairing.options import MentorshipOptions, Weights
from pairing.scoring import coffee_pair_score, mentorship_score
from pairing.table import MemberTable, coffee_scores, mentorship_scores


def shuffle_round(members: Sequence[Member], seed: int) -> list[tuple[str, ...]]:
    ids = sorted(m.id for m in members)
    random.Random(seed).shuffle(ids)
    groups = [tuple(ids[k : k + 2]) for k in range(0, len(ids) - 1, 2)]
    if len(ids) % 2 and groups:
        groups[-1] = (*groups[-1], ids[-1])
    return groups


def shuffle_groups(members: Sequence[Member], k: int, seed: int) -> list[tuple[str, ...]]:
    ids = sorted(m.id for m in members)
    random.Random(seed).shuffle(ids)
    count = max(1, len(ids) // k)
    return [tuple(ids[g::count]) for g in range(count)]


def blossom_round(
    members: Sequence[Member], met: set[frozenset[str]], weights: Weights, seed: int
) -> list[tuple[str, ...]]:
    graph = nx.Graph()
    graph.add_nodes_from(m.id for m in members)
    for x, a in enumerate(members):
        for b in members[x + 1 :]:
            if frozenset((a.id, b.id)) not in met:
                # networkx wants positive weights for a meaningful max-weight matching
                graph.add_edge(a.id, b.id, weight=coffee_pair_score(a, b, weights) + 100.0)
    matching = nx.max_weight_matching(graph, maxcardinality=True)
    groups = [tuple(sorted(p)) for p in matching]
    left = sorted({m.id for m in members} - {x for p in matching for x in p})
    random.Random(seed).shuffle(left)
    groups += [tuple(left[k : k + 2]) for k in range(0, len(left) - 1, 2)]
    if len(left) % 2 and groups:
        groups[-1] = (*groups[-1], left[-1])
    return groups


def exact_optimum(members: Sequence[Member], met: set[frozenset[str]], weights: Weights) -> float:
    """Blossom optimum of the summed public pair score over unmet pairs (max cardinality)."""
    graph = nx.Graph()
    for x, a in enumerate(members):
        for b in members[x + 1 :]:
            if frozenset((a.id, b.id)) not in met:
                graph.add_edge(a.id, b.id, weight=coffee_pair_score(a, b, weights))
    matching = nx.max_weight_matching(graph, maxcardinality=True)
    return float(sum(graph.edges[a, b]["weight"] for a, b in matching))


def as_past(groups: Sequence[Sequence[str]], round_number: int) -> list[PastGroup]:
    return [PastGroup(round_number, frozenset(g)) for g in groups]


def exact_b_matching(members: Sequence[Member]) -> tuple[float | None, str]:
    """Independent optimum: an assignment over mentor slots on float scores.

    Independent of the engine, which solves a min-cost flow on integer-scaled costs:
    every pair is scored by the public :func:`mentorship_score` in plain Python, every
    mentor is copied once per slot, every mentee gets a "stay unmatched" column, and
    scipy's LAPJVsp solves the assignment exactly on the unscaled floats.
    """
    options = MentorshipOptions()
    mentors = [m for m in members if m.role == Role.MENTOR]
    mentees = [m for m in members if m.role == Role.MENTEE]
    first_slot = np.cumsum([0] + [max(0, m.capacity) for m in mentors])
    slots = int(first_slot[-1])
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for row, e in enumerate(mentees):
        for k, m in enumerate(mentors):
            score = mentorship_score(m, e, options.weights)
            if score > 0 and m.id not in e.managers and e.id not in m.managers:
                for slot in range(int(first_slot[k]), int(first_slot[k + 1])):
                    rows.append(row)
                    cols.append(slot)
                    vals.append(score + 1.0)  # + 1 on every column keeps weights positive
        rows.append(row)
        cols.append(slots + row)
        vals.append(1.0)
    graph = csr_matrix((vals, (rows, cols)), shape=(len(mentees), slots + len(mentees)))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph, maximize=True)
    total = float(np.asarray(graph[row_ind, col_ind]).sum()) - len(mentees)
    return total, "scipy LAPJVsp over mentor slots (float scores, public mentorship_score)"


def greedy_top_partners(
    members: Sequence[Member],
    history: Sequence[PastGroup],
    weights: Weights,
    per_person: int = 30,
    seed: int = 0,
) -> tuple[list[tuple[str, ...]], float]:
    """Greedy by weight on each person's ``per_person`` best unmet partners.

    Every pair score is computed (vectorised, in blocks of rows); each person keeps
    their best unmet, allowed partners (ties broken at random, or everyone would list
    the same few people); those pairs are taken best first while both are free. Whoever
    is left gets another pass among the people still free, until a pass pairs nobody;
    the rest are paired in id order, an odd one out joins the last pair. Also returns
    an upper bound on any matching of the unmet pairs: half the sum of everyone's best
    unmet partner score.
    """
    people = sorted(members, key=lambda m: m.id)
    n = len(people)
    index = {m.id: k for k, m in enumerate(people)}
    table = MemberTable.of(people)
    past = PairHistory.of(history, index, reoffer_missed=False)
    fi, fj = forbidden_pairs(people, index)
    barred = KeySet(np.unique(np.concatenate([fi * n + fj, fj * n + fi])).astype(np.int64))
    rng = np.random.default_rng(seed)
    mate = np.full(n, -1, dtype=np.int64)
    bound = 0.0
    free = np.arange(n, dtype=np.int64)
    while len(free) >= 2:
        head, tail, best = _top_partners(table, past, barred, weights, free, per_person, rng)
        if bound == 0.0:
            bound = float(best.sum()) / 2
        before = len(free)
        for a, b in zip(head.tolist(), tail.tolist(), strict=True):
            if mate[a] < 0 and mate[b] < 0 and a != b:
                mate[a], mate[b] = b, a
        free = np.flatnonzero(mate < 0)
        if len(free) == before:
            break
    groups: list[tuple[str, ...]] = [
        (people[a].id, people[int(mate[a])].id) for a in range(n) if mate[a] > a
    ]
    left = [people[a].id for a in free.tolist()]
    groups += [tuple(left[k : k + 2]) for k in range(0, len(left) - 1, 2)]
    if len(left) % 2 and groups:
        groups[-1] = (*groups[-1], left[-1])
    return groups, bound


def _top_partners(table, past, barred, weights, who, per_person, rng):
    """Pairs (best first) of each of ``who`` with their best partners among ``who``."""
    n = len(table.ids)
    rows_per_block = max(1, 2_000_000 // max(len(who), 1))
    keep = min(per_person, len(who) - 1)
    heads, tails, values = [], [], []
    best = np.zeros(len(who))
    for start in range(0, len(who), rows_per_block):
        rows = who[start : start + rows_per_block]
        i, j = np.broadcast_arrays(rows[:, None], who[None, :])
        score = coffee_scores(table, i, j, weights) + rng.random(i.shape) * 1e-6
        met, _, _ = past.lookup(i, j)
        blocked, _ = barred.find(i * n + j)
        score = np.where(met | blocked | (i == j), -np.inf, score)
        top = np.argpartition(-score, keep - 1, axis=1)[:, :keep]
        top_values = np.take_along_axis(score, top, axis=1)
        top_best = top_values.max(axis=1)
        best[start : start + len(rows)] = np.where(np.isfinite(top_best), top_best, 0.0)
        ok = np.isfinite(top_values).ravel()
        heads.append(np.repeat(rows, keep)[ok])
        tails.append(who[top.ravel()][ok])
        values.append(top_values.ravel()[ok])
    order = np.argsort(-np.concatenate(values), kind="stable")
    return np.concatenate(heads)[order], np.concatenate(tails)[order], best


def groups_score(
    members: Sequence[Member], groups: Sequence[Sequence[str]], weights: Weights
) -> float:
    """The public score of a round (sum over groups of the pair scores)."""
    by_id = {m.id: m for m in members}
    return sum(
        coffee_pair_score(by_id[a], by_id[b], weights)
        for g in groups
        for a, b in itertools.combinations(g, 2)
    )


def assignment_bound(
    members: Sequence[Member], history: Sequence[PastGroup], weights: Weights
) -> float:
    """Upper bound on any round of pairs on unmet pairs: the assignment relaxation.

    A matching M is a permutation made of 2-cycles worth 2 w(M), so half the best
    fixed-point-free assignment (scipy's exact solver on the dense score matrix, met
    and barred pairs excluded) bounds it from above. Dense: for N up to a few thousand.
    """
    people = sorted(members, key=lambda m: m.id)
    n = len(people)
    index = {m.id: k for k, m in enumerate(people)}
    table = MemberTable.of(people)
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    score = coffee_scores(table, i, j, weights)
    met, _, _ = PairHistory.of(history, index, reoffer_missed=False).lookup(i, j)
    fi, fj = forbidden_pairs(people, index)
    barred = met | (i == j)
    barred[fi, fj] = barred[fj, fi] = True
    rows, cols = linear_sum_assignment(np.where(barred, -1e9, score), maximize=True)
    return float(score[rows, cols].sum()) / 2


def plain_flow(members: Sequence[Member]) -> float:
    """Min-cost flow (OR-Tools) over every allowed mentor/mentee pair, no pruning.

    What the engine used to do: one arc per allowed pair (score above zero, not in one
    reporting line), integer costs ``round(120 * score)`` (exact for the default weights,
    whose scores are multiples of 1/120 whatever the minutes). Returns the total score.
    """
    from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped,import-not-found,unused-ignore]

    options = MentorshipOptions()
    people = sorted(members, key=lambda m: m.id)
    index = {m.id: k for k, m in enumerate(people)}
    table = MemberTable.of(people)
    mentors = np.array([k for k, m in enumerate(people) if m.role == Role.MENTOR], np.int64)
    mentees = np.array([k for k, m in enumerate(people) if m.role == Role.MENTEE], np.int64)
    heads, tails, costs, floats = [], [], [], []
    step = max(1, 2_000_000 // max(len(mentors), 1))
    fi, fj = forbidden_pairs(people, index)
    barred = KeySet(np.unique(np.concatenate([fi * len(people) + fj, fj * len(people) + fi])))
    for start in range(0, len(mentees), step):
        e, r = np.broadcast_arrays(mentees[start : start + step, None], mentors[None, :])
        score = mentorship_scores(table, r, e, options.weights)
        hit, _ = barred.find(r * len(people) + e)
        ok = (score > 0) & ~hit
        heads.append(r[ok])
        tails.append(e[ok])
        floats.append(score[ok])
        costs.append(np.rint(score[ok] * 120).astype(np.int64))
    r, e, cost, score = (np.concatenate(x) for x in (heads, tails, costs, floats))
    n = len(people)
    flow = min_cost_flow.SimpleMinCostFlow()
    tail = np.concatenate([e, mentees, mentors]).astype(np.int32)
    head = np.concatenate([r, np.full(len(mentees) + len(mentors), n)]).astype(np.int32)
    caps = np.concatenate(
        [np.ones(len(e) + len(mentees), np.int64), [max(0, people[k].capacity) for k in mentors]]
    ).astype(np.int64)
    unit = np.concatenate([-cost, np.zeros(len(mentees) + len(mentors), np.int64)])
    flow.add_arcs_with_capacity_and_unit_cost(tail, head, caps, unit)
    supply = np.zeros(n + 1, np.int64)
    supply[mentees] = 1
    supply[n] = -len(mentees)
    flow.set_nodes_supplies(np.arange(n + 1, dtype=np.int32), supply)
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("plain flow failed")
    used = np.asarray(flow.flows(np.arange(len(e), dtype=np.int32))) > 0
    return float(score[used].sum())
