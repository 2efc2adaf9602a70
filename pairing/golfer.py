"""Repeat-free groups for one round: conflict-directed tabu search.

Splitting people into groups of given sizes so that nobody meets anyone again is one
week of the social golfer problem (completing a partial schedule is NP-complete). The
local search that works best for it in the literature (Dotu and Van Hentenryck 2005,
Triska and Musliu 2012) only moves people who are in conflict:

- a move swaps a member who shares a group with someone already met (a *conflict*) with
  a member of another group; its effect on the number of conflicts is one small matrix
  expression per conflicted member, ``C[x, group of y] - met(x, y) + ...``, where
  ``C[v, g]`` counts conflicts of ``v`` with group ``g``;
- the best move is made even if it loses (ties broken by the seeded generator), after
  which moving either member back to the group it left is tabu for a few steps, unless
  that would reach a new best (aspiration);
- when the best has not improved for a while, the search returns to it and makes a few
  random swaps (a kick), which walks it out of plateaus.

Conflicts are counted with weights (a forbidden pair, the reporting line, counts far
more than a repeat), so the search minimises them in that order.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
TENURE = (4, 12)
STALL = 400
KICK = 3
BLOCKED = np.iinfo(np.int64).max // 4


def conflict_search(
    conflict: IntArray, group: IntArray, rng: np.random.Generator, steps: int
) -> tuple[IntArray, int]:
    """Fewest weighted conflicts found from ``group`` (group index per member).

    ``conflict`` is a symmetric non-negative integer matrix with a zero diagonal.
    Returns the best grouping and its total conflict weight.
    """
    n = len(group)
    g = int(group.max()) + 1 if n else 0
    group = group.copy()
    rows = np.arange(n)
    onehot = np.zeros((n, g), dtype=np.int64)
    onehot[rows, group] = 1
    per_group = conflict @ onehot  # per_group[v, t]: conflict of v with group t
    own = per_group[rows, group]
    current = int(own.sum()) // 2
    best, best_value = group.copy(), current
    tabu_until = np.zeros((n, g), dtype=np.int64)
    since_best = 0
    for step in range(steps):
        if best_value == 0:
            break
        movers = np.flatnonzero(own > 0)
        if len(movers) == 0:
            break
        home = group[movers]
        delta = (
            per_group[movers][:, group]
            + per_group[:, home].T
            - 2 * conflict[movers]
            - own[movers][:, None]
            - own[None, :]
        )
        blocked = home[:, None] == group[None, :]
        tabu = (tabu_until[movers][:, group] > step) | (step < tabu_until[:, home].T)
        blocked |= tabu & (current + delta >= best_value)
        delta[blocked] = BLOCKED
        low = delta.min()
        if low == BLOCKED:
            continue
        choices = np.flatnonzero(delta.ravel() == low)
        row, y = divmod(int(choices[rng.integers(len(choices))]), n)
        x = int(movers[row])
        a, b = int(group[x]), int(group[y])
        _swap(conflict, per_group, group, x, y, a, b)
        own = per_group[rows, group]
        current += int(low)
        tabu_until[x, a] = step + rng.integers(*TENURE)
        tabu_until[y, b] = step + rng.integers(*TENURE)
        if current < best_value:
            best, best_value, since_best = group.copy(), current, 0
            continue
        since_best += 1
        if since_best > STALL:
            group[:] = best
            per_group = conflict @ _onehot(group, g)
            for _ in range(KICK):
                x, y = (int(v) for v in rng.choice(n, 2, replace=False))
                if group[x] != group[y]:
                    _swap(conflict, per_group, group, x, y, int(group[x]), int(group[y]))
            own = per_group[rows, group]
            current = int(own.sum()) // 2
            since_best = 0
    return best, best_value


def _onehot(group: IntArray, g: int) -> IntArray:
    onehot = np.zeros((len(group), g), dtype=np.int64)
    onehot[np.arange(len(group)), group] = 1
    return onehot


def _swap(
    conflict: IntArray, per_group: IntArray, group: IntArray, x: int, y: int, a: int, b: int
) -> None:
    """Move ``x`` from group ``a`` to ``b`` and ``y`` from ``b`` to ``a`` (in place)."""
    per_group[:, a] += conflict[:, y] - conflict[:, x]
    per_group[:, b] += conflict[:, x] - conflict[:, y]
    group[x], group[y] = b, a
