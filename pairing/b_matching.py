"""Maximum-weight b-matching of mentees to mentors, with a dual certificate.

Given candidate arcs (mentee, mentor, integer cost), each mentor's capacity, and the
number of mentees, :func:`solve` finds an assignment of maximum total cost in which every
mentor takes at most its capacity and every mentee at most one mentor, as a min-cost
flow (OR-Tools ``SimpleMinCostFlow``): every mentee supplies one unit, which reaches the
sink through a mentor (cost ``-c``; the mentor's arc to the sink carries its capacity)
or directly (cost 0: stays unmatched).

It also returns *potentials*: shortest-path distances ``d`` in the residual graph of the
optimal flow (from a virtual source joined to every node at cost 0), found by
Bellman-Ford relaxations over all arcs at once, each mentee's then raised as far as its
one incoming residual arc allows (to its mentor's plus the pair's cost, or the sink's
when unmatched: the highest a mentee's may be, so the fewest pairs seem to improve it).
Every residual arc then has a non-negative reduced cost, and an arc that is not a
candidate (mentee e, mentor r, cost c) would improve the flow only if
``c + d[r] > d[e]``. So the caller can check *all* allowed pairs against the
potentials: if none passes that test, the assignment is optimal over all of them, not
only over the candidates (LP duality; the costs are integers, so there is no tolerance
to choose).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped,import-not-found,unused-ignore]

IntArray = npt.NDArray[np.int64]


class SolverFailed(RuntimeError):
    """The flow solver reported something other than an optimal flow."""


@dataclass(frozen=True, slots=True)
class Solution:
    """``mentor_of[e]``: the mentor of mentee e or -1; ``mentee_potential`` and
    ``mentor_potential``: the distances ``d`` (see the module doc)."""

    mentor_of: IntArray
    mentee_potential: IntArray
    mentor_potential: IntArray


def solve(
    mentee: IntArray, mentor: IntArray, cost: IntArray, capacity: IntArray, mentees: int
) -> Solution:
    """Optimal assignment on the candidate arcs ``(mentee[k], mentor[k], cost[k])``.

    Mentees are ``0..mentees-1`` and mentors ``0..len(capacity)-1``; costs are positive
    integers (higher is better); arcs are taken in the order given (ties between equal
    optima are broken by that order, never by chance).
    """
    mentors = len(capacity)
    sink = mentees + mentors
    unit_cost = int(np.gcd.reduce(cost)) if len(cost) else 1  # fewer scaling phases
    original, cost = cost, cost // max(unit_cost, 1)
    flow = min_cost_flow.SimpleMinCostFlow()
    who = np.arange(mentees)
    room = np.arange(mentors)
    tails = np.concatenate([mentee, who, mentees + room]).astype(np.int32)
    heads = np.concatenate([mentees + mentor, np.full(mentees + mentors, sink)]).astype(np.int32)
    caps = np.concatenate([np.ones(len(mentee) + mentees, np.int64), capacity])
    unit = np.concatenate([-cost, np.zeros(mentees + mentors, np.int64)])
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, unit)
    supply = np.zeros(sink + 1, np.int64)
    supply[:mentees] = 1
    supply[sink] = -mentees
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supply)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise SolverFailed(f"min-cost flow returned {status}")
    used = np.asarray(flow.flows(np.arange(len(tails), dtype=np.int32)), np.int64)
    mentor_of = np.full(mentees, -1, np.int64)
    chosen = used[: len(mentee)] > 0
    mentor_of[mentee[chosen]] = mentor[chosen]
    distance = _potentials(tails.astype(np.int64), heads.astype(np.int64), unit, caps, used)
    distance *= max(unit_cost, 1)  # potentials of the original costs
    mentee_potential = np.full(mentees, distance[sink], np.int64)
    mentee_potential[mentee[chosen]] = distance[mentees + mentor[chosen]] + original[chosen]
    return Solution(mentor_of, mentee_potential, distance[mentees:sink])


def _potentials(
    tails: IntArray, heads: IntArray, cost: IntArray, caps: IntArray, used: IntArray
) -> IntArray:
    """Shortest distances from a virtual source in the residual graph (Bellman-Ford,
    every arc relaxed at once per pass; the passes needed are the most arcs on a
    shortest path, a few dozen here)."""
    forward = used < caps
    backward = used > 0
    tail = np.concatenate([tails[forward], heads[backward]])
    head = np.concatenate([heads[forward], tails[backward]])
    weight = np.concatenate([cost[forward], -cost[backward]])
    nodes = int(max(tails.max(), heads.max())) + 1
    order = np.argsort(head, kind="stable")
    tail, head, weight = tail[order], head[order], weight[order]
    has_in, starts = np.unique(head, return_index=True)
    distance = np.zeros(nodes, np.int64)
    for _ in range(nodes + 1):
        best = np.minimum.reduceat(distance[tail] + weight, starts)
        better = best < distance[has_in]
        if not better.any():
            return distance
        distance[has_in[better]] = best[better]
    raise SolverFailed("negative cycle in the residual graph: the flow is not optimal")
