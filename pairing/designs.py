"""Rounds taken from a construction, while the history agrees with it.

When mathematics has a schedule for N members in groups of k (:mod:`pairing.schedules`
for groups, :mod:`pairing.odd_design` for pairs with one trio), rounds chosen one at a
time cannot beat it: they run out of repeat-free groupings well before its end. So the
round is a round of that schedule:

- the schedule's points are renamed to people by :mod:`pairing.relabel` (best rounds
  first, pairs that may never meet kept to late rounds), from the members and their
  scores alone -- never the seed or the history -- so every round renames alike;
- the history must agree: every pair met is in a round of the schedule that was met in
  full, and nothing else was met (else the schedule is not used);
- of the rounds not used yet (and holding no pair that may never meet), the one with
  the best effective score (:mod:`pairing.dense_context`) is taken.

When they are used up, the caller searches as for any other N.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pairing.dense_context import DenseContext
from pairing.dense_matching import EXACT_MAX_MEMBERS, best_matching, exact_matching
from pairing.odd_design import odd_pairs
from pairing.relabel import onto, relabel, round_scores
from pairing.schedules import best, round_pairs

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
MAX_PAIR_MEMBERS = 401  # odd pairs: larger programs take many years to reach the limit


@dataclass(frozen=True, slots=True)
class DesignRound:
    groups: list[tuple[int, ...]]
    note: str


def schedule_for(n: int, k: int) -> IntArray | None:
    """The construction for n members in groups of k (pairs: odd n only), if any."""
    if k == 2:
        return odd_pairs(n) if n <= MAX_PAIR_MEMBERS else None
    return best(n, k)


def design_round(ctx: DenseContext, k: int) -> DesignRound | None:
    """This round from the construction, or ``None`` (no construction, the history
    disagrees with it, or its usable rounds are used up)."""
    n = len(ctx.scores)
    schedule = schedule_for(n, k)
    if schedule is None or ctx.missed.any():
        return None
    start = onto(schedule, _best_pairs(ctx)) if k == 2 else None
    person = relabel(schedule, ctx.scores, ctx.forbidden, start)
    rounds = np.empty_like(schedule)
    rounds[:, person] = schedule  # rounds[r, person[p]] = schedule[r, p]
    r, i, j = round_pairs(rounds)
    used = _used_rounds(ctx.met, rounds, r, i, j)
    if used is None:
        return None
    blocked = np.bincount(r, weights=ctx.forbidden[i, j], minlength=len(rounds)) > 0
    usable = ~used & ~blocked
    if not usable.any():
        return None
    finite = np.where(np.isfinite(ctx.effective), ctx.effective, 0.0)
    value = np.where(usable, round_scores(rounds, finite), -np.inf)
    chosen = int(np.argmax(value))
    row = rounds[chosen]
    groups = [tuple(np.flatnonzero(row == g).tolist()) for g in range(int(row.max()) + 1)]
    note = f"design: round {int(used.sum()) + 1} of {len(rounds)} of a construction"
    return DesignRound([g for g in groups if g], note)


def _used_rounds(
    met: BoolArray, rounds: IntArray, r: IntArray, i: IntArray, j: IntArray
) -> BoolArray | None:
    """Which rounds the history holds in full; ``None`` if it holds part of a round or
    a pair the schedule never has."""
    pairs = np.bincount(r, minlength=len(rounds))
    held = np.bincount(r, weights=met[i, j], minlength=len(rounds)).astype(np.int64)
    if ((held > 0) & (held < pairs)).any():
        return None
    used: BoolArray = held == pairs
    if int(np.triu(met, 1).sum()) != int(pairs[used].sum()):
        return None
    return used


def _best_pairs(ctx: DenseContext) -> list[tuple[int, ...]]:
    """The best round of pairs and one trio on the soft scores alone (seed-free: the
    renaming must come out the same every round), to start the renaming from."""
    weights = np.where(ctx.forbidden, -np.inf, ctx.scores)
    n = len(weights)
    mate = exact_matching(weights) if n <= EXACT_MAX_MEMBERS else best_matching(weights)
    groups: list[tuple[int, ...]] = [(a, int(mate[a])) for a in range(n) if mate[a] > a]
    for x in np.flatnonzero(mate < 0).tolist():
        join = [weights[x, g[0]] + weights[x, g[1]] if len(g) == 2 else -np.inf for g in groups]
        if groups:
            target = int(np.argmax(join))
            groups[target] = (*groups[target], x)
    return groups
