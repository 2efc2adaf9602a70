"""Coffee groups of three or more: a design when one fits, else local search.

Group sizes: ``n // k`` groups of ``k``, the remainder spread one each over some of
them (groups of ``k + 1``). If more are left over than there are groups (say 11 people
in groups of 4), one more group is opened and sizes are as even as possible (4, 4, 3):
a group one short beats a group far too big. Fewer than ``k`` members form one group.

How a round is chosen:

1. When mathematics has a schedule for N in groups of k (affine geometries, transversal
   designs, nets, Kirkman triple systems and other developed tables:
   :mod:`pairing.schedules`) and the history agrees with it, the round is its best
   unused round (:mod:`pairing.designs`). Group sizes follow the rule in every round;
   once the schedule is used up, the steps below go on with the same sizes.
2. Otherwise, soft-score search (:mod:`pairing.group_search`) on the effective pair
   weights (:mod:`pairing.dense_context`: repeats cost so much that they are minimised
   first, the oldest preferred; then the soft score), less a look-ahead charge for
   using pairs that will soon be hard to place (:mod:`pairing.lookahead`).
3. If that grouping repeats someone: conflict-directed tabu search on the repeats
   (:mod:`pairing.golfer`) and, up to ``EXACT_MAX_MEMBERS``, an exact cover of the
   members by groups of unmet pairs (:mod:`pairing.exact_cover`); then the soft score
   is raised again by swaps that add no repeat.

Deterministic for the same input and seed. Up to ``EXACT_MAX_MEMBERS`` members, and up
to ``MAX_CLIQUES`` candidate groups, an exact cover decides whether a repeat-free round
exists (Algorithm X, then CP-SAT when that runs out of nodes, within
:data:`pairing.cover_solver.SECONDS`); otherwise a round with repeats is returned
without that proof.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from pairing.cover_solver import cover_by_cp_sat
from pairing.dense_context import DenseContext
from pairing.designs import design_round
from pairing.exact_cover import cliques, exact_cover
from pairing.golfer import conflict_search
from pairing.group_search import start_grouping, swap_search
from pairing.group_sizes import group_sizes
from pairing.lookahead import lookahead_penalty

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
FORBIDDEN = -1e9
PATIENCE = 300
HARD_STEPS_PER_MEMBER = 200  # conflict-search steps (100 members: about a second)
MAX_HARD_STEPS = 20_000
FORBIDDEN_CONFLICT = 1000
EXACT_MAX_MEMBERS = 400
EXACT_NODES = 20_000
JITTER = 1e-6


def plan_groups(
    ctx: DenseContext, k: int, rng: np.random.Generator
) -> tuple[list[tuple[int, ...]], list[int], list[str]]:
    design = design_round(ctx, k)
    if design is not None:
        return _without_forbidden(ctx, [list(g) for g in design.groups], [design.note])
    return _without_forbidden(ctx, _search(ctx, k, rng), [])


def _search(ctx: DenseContext, k: int, rng: np.random.Generator) -> list[list[int]]:
    """Groups by soft-score search, then (if that repeats) by conflict search."""
    n = len(ctx.scores)
    sizes = group_sizes(n, k)
    if len(sizes) <= 1:
        return [list(range(n))]
    weights = np.where(np.isfinite(ctx.effective), ctx.effective, FORBIDDEN)
    weights -= lookahead_penalty(ctx.unmet, ctx.scores, k)
    np.fill_diagonal(weights, 0.0)
    hard = ctx.met.sum(axis=1) + rng.random(n)
    order = np.argsort(-hard, kind="stable")
    group = start_grouping(weights, sizes, order)
    group = swap_search(weights, group, len(sizes), max(200, min(4000, 40 * n)), PATIENCE)
    if _has_repeats(ctx, group):
        group = _repeat_free_search(ctx, weights, sizes, group, rng)
    return [np.flatnonzero(group == t).tolist() for t in range(len(sizes))]


def _has_repeats(ctx: DenseContext, group: IntArray) -> bool:
    return bool((ctx.met & (group[:, None] == group[None, :])).any())


def _repeat_free_search(
    ctx: DenseContext,
    weights: FloatArray,
    sizes: list[int],
    best: IntArray,
    rng: np.random.Generator,
) -> IntArray:
    """Fewest repeats by conflict-directed tabu search (:mod:`pairing.golfer`) from the
    best soft grouping; then the soft score is raised again without adding repeats."""
    n = len(weights)
    conflict = ctx.met.astype(np.int64) + FORBIDDEN_CONFLICT * ctx.forbidden
    np.fill_diagonal(conflict, 0)
    steps = min(MAX_HARD_STEPS, HARD_STEPS_PER_MEMBER * n)
    found, value = conflict_search(conflict, best.copy(), rng, steps)
    if value < _conflicts(conflict, best):
        best = found
    if value > 0 and n <= EXACT_MAX_MEMBERS:
        covered = _exact_round(ctx, weights, sizes, rng)
        if covered is not None:
            best = covered
    return swap_search(weights, best, len(sizes), max(200, min(4000, 40 * n)), PATIENCE)


def _exact_round(
    ctx: DenseContext, weights: FloatArray, sizes: list[int], rng: np.random.Generator
) -> IntArray | None:
    """A repeat-free grouping by exact cover (:mod:`pairing.exact_cover`), if found."""
    n = len(weights)
    rows = cliques(ctx.unmet, sorted(set(sizes)))
    if not rows:
        return None
    value = np.array([weights[np.ix_(r, r)].sum() / 2 for r in rows]) + JITTER * rng.random(
        len(rows)
    )
    cover = exact_cover(n, rows, sizes, value, EXACT_NODES)
    if cover is None:  # none, or none within the node limit: CP-SAT decides
        cover = cover_by_cp_sat(n, rows, sizes, value)
    if cover is None:
        return None
    group = np.empty(n, dtype=np.int64)
    for t, members in enumerate(cover):
        group[list(members)] = t
    return group


def _conflicts(conflict: IntArray, group: IntArray) -> int:
    return int(conflict[group[:, None] == group[None, :]].sum()) // 2


def _without_forbidden(
    ctx: DenseContext, groups: list[list[int]], notes: list[str]
) -> tuple[list[tuple[int, ...]], list[int], list[str]]:
    """Move people out of groups with someone from their reporting line (hard rule)."""
    forbidden = ctx.forbidden.copy()
    np.fill_diagonal(forbidden, False)
    homeless: list[int] = []
    for members in groups:
        while True:
            clashes = forbidden[np.ix_(members, members)].sum(axis=1)
            if not clashes.any():
                break
            homeless.append(members.pop(int(np.argmax(clashes))))
    for members in groups:
        if len(members) == 1:
            homeless.append(members.pop())
    left_out: list[int] = []
    for x in homeless:
        fits = [g for g in groups if g and not forbidden[x, g].any()]
        if fits:
            max(fits, key=lambda g: float(ctx.effective[x, g].sum())).append(x)
        else:
            left_out.append(x)
    # Two left over who may meet each other still make a group.
    while len(left_out) >= 2 and not forbidden[left_out[0], left_out[1]]:
        groups.append([left_out.pop(0), left_out.pop(0)])
    return [tuple(sorted(g)) for g in groups if g], left_out, notes
