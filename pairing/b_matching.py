"""Maximum-weight b-matching: mentees to mentors, each mentor up to its capacity.

Two exact solvers of the same problem, on the allowed (mentor, mentee) edges:

- *min-cost flow* (OR-Tools ``SimpleMinCostFlow``): every mentee supplies one unit,
  which reaches the sink through a mentor (cost ``-score``, the mentor's arc to the
  sink carries its capacity) or directly (cost 0, "stays unmatched"). No slot copies:
  5,000 mentees x 1,000 mentors x capacity 5 is 2.6 million arcs instead of 12.9
  million slot edges, and about twice as fast as the assignment below.
- *assignment over mentor slots* (scipy's LAPJVsp): every mentor appears once per free
  slot and every mentee gets one "stay unmatched" column, on the float scores.

Min-cost flow needs integer costs: scores times a scale ``S``, rounded. ``S`` is the
smallest number 2^a 3^b 5^c, or else ``10**6 * overlap_full_minutes`` (which makes any
overlap term with a weight of up to six decimals an integer), that passes the test
below. The default weights with half-hour time zone steps need only ``S = 4``, and
small costs make the cost-scaling solver faster (1.4 s against 2.9 s at ``10**6``).

Why rounding cannot change the optimum: write ``S * score = q + r`` with ``q`` the
integer cost and ``|r| <= rho`` on every edge. An assignment of ``K`` mentees moves by
at most ``K * rho`` in scaled units, so one whose integer total is lower by at least 1
scores strictly less whenever ``2 * K * rho < 1``: the float optimum is among the
integer optima, and these lie within ``2 * K * rho / S`` of each other. The flow is
used only when that bound is at most ``LOSS_BOUND`` (1e-10), i.e. when the scores sit
on the lattice ``1/S`` up to float noise, so all rounding could lose is float noise.
Equal scores round to equal costs, so exact ties stay ties; among equal optima the
solver's choice is fixed by the arc order (mentors, then mentees, by id), never by the
seed. Scores off every lattice (odd custom weights), a cost range OR-Tools refuses, or
OR-Tools not being installed fall back to the slot assignment.
"""

from __future__ import annotations

import logging

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

try:  # a runtime dependency; without it the slot assignment does the same job slower
    from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped,import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - exercised only where OR-Tools is missing
    min_cost_flow = None

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BASE_SCALE = 10**6
LOSS_BOUND = 1e-10
COST_LIMIT = 2**62  # OR-Tools scales costs by the node count; keep far from int64 overflow
OFFSET = 1.0
logger = logging.getLogger(__name__)


def scales(finest: int) -> list[int]:
    """Candidate scales, smallest first: the numbers 2^a 3^b 5^c below ``finest``, then it."""
    found = []
    two = 1
    while two < finest:
        three = two
        while three < finest:
            five = three
            while five < finest:
                found.append(five)
                five *= 5
            three *= 3
        two *= 2
    return [*sorted(found), finest]


def lattice_costs(
    scores: FloatArray, mentees: int, nodes: int, finest: int = BASE_SCALE
) -> IntArray | None:
    """Integer costs ``-round(scores * S)`` for the smallest scale ``S`` whose rounding
    cannot change the optimum (see the module doc), or ``None`` if there is none."""
    if len(scores) == 0:
        return np.zeros(0, np.int64)
    values = np.unique(scores)
    top = float(np.abs(values).max())
    for scale in scales(finest):
        if top * scale * (nodes + 1) >= COST_LIMIT:
            break
        scaled = values * scale
        rho = float(np.abs(scaled - np.rint(scaled)).max())
        if 2 * mentees * rho <= min(0.5, LOSS_BOUND * scale):
            costs: IntArray = -np.rint(scores * scale).astype(np.int64)
            return costs
    return None


def flow_assignment(
    r: IntArray, e: IntArray, costs: IntArray, capacity: IntArray, mentees: IntArray
) -> dict[int, int] | None:
    """Mentee -> mentor by min-cost flow on integer ``costs``; ``None`` if not solved."""
    if min_cost_flow is None:
        return None
    n, k = len(capacity), len(mentees)
    sink = n
    mentors = np.flatnonzero(capacity > 0)
    flow = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate([e, mentees, mentors]).astype(np.int32)
    heads = np.concatenate([r, np.full(k + len(mentors), sink)]).astype(np.int32)
    caps = np.concatenate([np.ones(len(e) + k, np.int64), capacity[mentors]])
    unit = np.concatenate([costs, np.zeros(k + len(mentors), np.int64)])
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, unit)
    supply = np.zeros(n + 1, np.int64)
    supply[mentees] = 1
    supply[sink] = -k
    flow.set_nodes_supplies(np.arange(n + 1, dtype=np.int32), supply)
    status = flow.solve()
    if status != flow.OPTIMAL:
        logger.warning("min-cost flow returned %s; using the slot assignment", status)
        return None
    used = np.asarray(flow.flows(np.arange(len(e), dtype=np.int32))) > 0
    return dict(zip(e[used].tolist(), r[used].tolist(), strict=True))


def slot_assignment(
    r: IntArray, e: IntArray, scores: FloatArray, capacity: IntArray, mentees: IntArray
) -> dict[int, int]:
    """Mentee -> mentor by the assignment over mentor slots (LAPJVsp, float scores).

    A constant added to every edge (real or "unmatched") keeps all weights positive
    without changing the optimum, because each mentee takes exactly one of them.
    """
    row_of = np.full(len(capacity), -1, dtype=np.int64)
    row_of[mentees] = np.arange(len(mentees))
    first_slot = np.concatenate(([0], np.cumsum(capacity)))
    total = int(first_slot[-1])
    copies = capacity[r]
    starts = np.repeat(np.cumsum(copies) - copies, copies)
    slot = np.repeat(first_slot[r], copies) + (np.arange(int(copies.sum())) - starts)
    k = len(mentees)
    rows = np.concatenate([np.repeat(row_of[e], copies), np.arange(k)])
    cols = np.concatenate([slot, total + np.arange(k)])
    vals = np.concatenate([np.repeat(scores, copies) + OFFSET, np.full(k, OFFSET)])
    graph = csr_matrix((vals, (rows, cols)), shape=(k, total + k))
    row, col = min_weight_full_bipartite_matching(graph, maximize=True)
    owner = np.repeat(np.arange(len(capacity)), capacity)
    return {int(mentees[a]): int(owner[b]) for a, b in zip(row, col, strict=True) if b < total}


def best_assignment(
    r: IntArray,
    e: IntArray,
    scores: FloatArray,
    capacity: IntArray,
    mentees: IntArray,
    overlap_full_minutes: int = 1,
) -> dict[int, int]:
    """Mentee -> mentor of a maximum-score assignment; ``capacity`` is per person index.

    Edges ``(r[k], e[k])`` (mentor, mentee) come sorted by mentor, then mentee.
    """
    room = capacity[r] > 0
    r, e, scores = r[room], e[room], scores[room]
    if len(r) == 0:
        return {}
    finest = BASE_SCALE * max(1, overlap_full_minutes)
    costs = lattice_costs(scores, len(mentees), len(capacity) + 1, finest)
    if costs is not None:
        chosen = flow_assignment(r, e, costs, capacity, mentees)
        if chosen is not None:
            return chosen
    return slot_assignment(r, e, scores, capacity, mentees)
