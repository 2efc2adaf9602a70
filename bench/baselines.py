"""What the engine is compared with: a random shuffle, and networkx blossom per round.

The blossom baseline is the Yelp Beans approach: every round, an exact maximum-weight
matching (``networkx.max_weight_matching``, maximum cardinality) on the pairs that have
not met yet, weighted by the same public score as the engine. Whoever it cannot match
is paired at random (a repeat).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from pairing.models import Member, PastGroup, Role
from pairing.options import MentorshipOptions, Weights
from pairing.scoring import coffee_pair_score, mentorship_score


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
