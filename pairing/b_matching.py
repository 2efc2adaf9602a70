"""Maximum-weight b-matching of mentees to mentors, with a dual certificate.

Given candidate arcs (mentee, mentor, integer cost), each mentor's capacity, and the
number of mentees, :func:`solve` finds an assignment of maximum total cost in which every
mentor takes at most its capacity and every mentee at most one mentor, as a min-cost
flow: every mentee supplies one unit, which reaches the sink through a mentor (cost
``-c``; the mentor's arc to the sink carries its capacity) or directly (cost 0: stays
unmatched). From scratch, OR-Tools' cost-scaling ``SimpleMinCostFlow`` solves it; given
the solution on an earlier set of arcs (the column generation's previous solve), a
warm start re-routes only the mentees that a new arc draws elsewhere, by successive
shortest paths in compiled code (:mod:`pairing._assign`; :func:`_warm`).

It also returns *potentials*: shortest-path distances ``d`` in the residual graph of the
optimal flow (from a virtual source joined to every node at cost 0), found by
Bellman-Ford with a queue (:func:`pairing._assign.distances`), each mentee's then
raised as far as its one incoming residual arc allows (to its mentor's plus the pair's
cost, or the sink's when unmatched: the highest a mentee's may be, so the fewest pairs
seem to improve it).
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

from pairing import _assign

# A warm start re-routes the mentees whose earlier pair is no longer on a shortest path;
# in a program where every slot is contested a route goes further the more mentors
# there are, while a cold solve's time follows the pairs. So it is tried when
# (mentees moved x mentors) is at most WARM_WORK per pair. Measured on the bench's
# solves (moved x mentors per pair: warm against cold): 5k x 1k 54: 55 against 55 ms;
# 11: 23 against 106 ms. 20k x 4k 221: 1.3 against 0.6 s; 83: 0.39 against 0.87 s. 100k
# x 20k 1,050: 76 against 6.8 s; 452: 18.5 against 5.5 s; 7: 0.6 against 5.4 s.
WARM_WORK = 100
WARM_RELAXATIONS = 100  # arcs relaxed per arc of the network before a warm start gives up

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
    mentee: IntArray,
    mentor: IntArray,
    cost: IntArray,
    capacity: IntArray,
    mentees: int,
    start_from: Solution | None = None,
) -> Solution:
    """Optimal assignment on the candidate arcs ``(mentee[k], mentor[k], cost[k])``.

    Mentees are ``0..mentees-1`` and mentors ``0..len(capacity)-1``; costs are positive
    integers (higher is better); each mentee's arcs are taken in the order given (ties
    between equal optima are broken by that order, never by chance). ``start_from``: the
    solution on an earlier set of arcs for the same people (see :func:`_warm`).
    """
    order = np.argsort(mentee, kind="stable")
    mentee, mentor, cost = mentee[order], mentor[order], cost[order]
    network = _network(mentee, mentor, cost, capacity, mentees)
    taken = None
    if start_from is not None:
        taken = _warm(mentee, mentor, cost, capacity, mentees, start_from)
    if taken is None:
        taken = _cold(network, len(mentee), mentees)
    mentor_of = np.full(mentees, -1, np.int64)
    mentor_of[mentee[taken]] = mentor[taken]
    mentors = len(capacity)
    sink = mentees + mentors
    tails, heads, caps, unit, unit_cost = network
    used = np.zeros(len(tails), np.int64)
    used[taken] = 1
    used[len(mentee) : len(mentee) + mentees] = mentor_of < 0
    used[len(mentee) + mentees :] = np.bincount(mentor[taken], minlength=mentors)
    distance = _potentials(tails, heads, unit, caps, used)
    distance = (distance - distance[sink]) * unit_cost  # the sink's at 0
    mentee_potential = np.zeros(mentees, np.int64)
    mentee_potential[mentee[taken]] = distance[mentees + mentor[taken]] + cost[taken]
    return Solution(mentor_of, mentee_potential, distance[mentees:sink])


Network = tuple[IntArray, IntArray, IntArray, IntArray, int]


def _network(
    mentee: IntArray, mentor: IntArray, cost: IntArray, capacity: IntArray, mentees: int
) -> Network:
    """The flow network's arcs (tails, heads, capacities, unit costs: the pairs first,
    then each mentee's to the sink, then each mentor's) and the unit the costs are
    counted in (their greatest common divisor: fewer scaling phases and passes)."""
    mentors = len(capacity)
    sink = mentees + mentors
    unit_cost = max(int(np.gcd.reduce(cost)) if len(cost) else 1, 1)
    tails = np.concatenate([mentee, np.arange(mentees), mentees + np.arange(mentors)])
    heads = np.concatenate([mentees + mentor, np.full(mentees + mentors, sink)])
    caps = np.concatenate([np.ones(len(mentee) + mentees, np.int64), capacity])
    unit = np.concatenate([-cost // unit_cost, np.zeros(mentees + mentors, np.int64)])
    return tails, heads, caps, unit, unit_cost


def _cold(network: Network, pairs: int, mentees: int) -> IntArray:
    """The pairs taken (arc indices), by OR-Tools' cost-scaling min-cost flow."""
    tails, heads, caps, unit, _ = network
    sink = len(tails) - pairs  # one arc to it from each mentee and each mentor
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps, unit
    )
    supply = np.zeros(sink + 1, np.int64)
    supply[:mentees] = 1
    supply[sink] = -mentees
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supply)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise SolverFailed(f"min-cost flow returned {status}")
    used = np.asarray(flow.flows(np.arange(pairs, dtype=np.int32)), np.int64)
    return np.flatnonzero(used > 0)


def _warm(
    mentee: IntArray,
    mentor: IntArray,
    cost: IntArray,
    capacity: IntArray,
    mentees: int,
    earlier: Solution,
) -> IntArray | None:
    """The arcs taken, by successive shortest paths from an earlier solution
    (:mod:`pairing._assign`): its mentor potentials are the starting prices and its
    pairs that are still on a shortest path are kept, so only the mentees that a new
    arc draws elsewhere are routed again. ``None`` (solve cold) when they are so many
    that the routes would cost more than a cold solve (``WARM_WORK``), or once they have
    relaxed ``WARM_RELAXATIONS`` arcs per arc of the network."""
    mentors = len(capacity)
    price = earlier.mentor_potential
    value = cost + price[mentor]
    start = np.zeros(mentees + 1, np.int64)
    np.cumsum(np.bincount(mentee, minlength=mentees), out=start[1:])
    best = np.zeros(mentees, np.int64)  # a mentee's potential under the prices
    some = np.flatnonzero(start[:-1] < start[1:])
    if len(some):
        best[some] = np.maximum(np.maximum.reduceat(value, start[some]), 0)
    hint = earlier.mentor_of
    kept = np.zeros(mentees, np.bool_)
    kept[mentee[(mentor == hint[mentee]) & (value == best[mentee])]] = True
    kept |= (hint < 0) & (best == 0)
    moved = mentees - int(kept.sum())
    if moved * mentors > WARM_WORK * len(mentee):
        return None
    arc_of = np.empty(mentees, np.int64)
    budget = WARM_RELAXATIONS * (len(mentee) + mentees + mentors + 1)
    relaxed = _assign.solve(
        start,
        np.ascontiguousarray(mentor, np.int64),
        np.ascontiguousarray(cost, np.int64),
        np.ascontiguousarray(capacity, np.int64),
        np.ascontiguousarray(price, np.int64),
        np.ascontiguousarray(hint, np.int64),
        arc_of,
        budget,
    )
    if relaxed < 0:
        return None
    return np.sort(arc_of[arc_of >= 0])


def _potentials(
    tails: IntArray, heads: IntArray, cost: IntArray, caps: IntArray, used: IntArray
) -> IntArray:
    """Shortest distances from a virtual source in the residual graph (Bellman-Ford
    with a queue, :func:`pairing._assign.distances`)."""
    forward = used < caps
    backward = used > 0
    tail = np.concatenate([tails[forward], heads[backward]])
    head = np.concatenate([heads[forward], tails[backward]])
    weight = np.concatenate([cost[forward], -cost[backward]])
    distance = np.zeros(int(max(tails.max(), heads.max())) + 1, np.int64)
    if not _assign.distances(tail, head, weight, distance):
        raise SolverFailed("negative cycle in the residual graph: the flow is not optimal")
    return distance
