"""Coffee groups of three or more: tabu search over member swaps.

Group sizes: ``n // k`` groups of ``k``, the remainder spread one each over some of
them (groups of ``k + 1``). If more are left over than there are groups (say 11 people
in groups of 4), one more group is opened and sizes are as even as possible (4, 4, 3):
a group one short beats a group far too big. Fewer than ``k`` members form one group.

The objective is the sum of effective pair weights inside groups (see
:mod:`pairing.dense_context`): repeated pairs cost so much that they are minimised
first (the oldest preferred), then the soft score is maximised. Start: members, the
most-met first, each join the open group they fit best. Then tabu search: the gain of
swapping any two members of different groups is one n x n matrix expression; the best
swap not involving a recently moved member is made even if it loses (which walks out of
local optima), and the best grouping seen is kept. Social-golfer-style repeat-free
rounds come from this search; it does not prove optimality.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from pairing.dense_context import DenseContext

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
FORBIDDEN = -1e9
TENURE = 7
PATIENCE = 300
RETRIES = 3
HARD_STEPS = 6000
SOFT_GUIDE = 1e-3


def group_sizes(n: int, k: int) -> list[int]:
    groups = n // k
    if groups == 0:
        return [n] if n else []
    extra = n - groups * k
    if extra <= groups:
        return [k + 1] * extra + [k] * (groups - extra)
    base, more = divmod(n, groups + 1)
    return [base + 1] * more + [base] * (groups + 1 - more)


def _start(weights: FloatArray, sizes: list[int], order: IntArray) -> IntArray:
    n, g = len(weights), len(sizes)
    group = np.full(n, -1, dtype=np.int64)
    room = np.array(sizes, dtype=np.int64)
    totals = np.zeros((n, g))
    for x in order.tolist():
        value = np.where(room > 0, totals[x], -np.inf)
        # prefer empty-ish groups on ties so everyone gets company
        target = int(np.argmax(value + 1e-6 * room))
        group[x] = target
        room[target] -= 1
        totals[:, target] += weights[:, x]
    return group


def _value(weights: FloatArray, group: IntArray) -> float:
    return float(weights[group[:, None] == group[None, :]].sum()) / 2


def _tabu(weights: FloatArray, group: IntArray, g: int, steps: int, patience: int) -> IntArray:
    n = len(weights)
    onehot = np.zeros((n, g))
    onehot[np.arange(n), group] = 1.0
    totals = weights @ onehot
    best_group, best_value, current = group.copy(), 0.0, 0.0
    tabu_until = np.zeros(n, dtype=np.int64)
    since_best = 0
    for step in range(steps):
        cross = totals[:, group]  # cross[x, y] = weight of x with y's group
        own = totals[np.arange(n), group]
        gain = cross + cross.T - own[:, None] - own[None, :] - 2 * weights
        gain[group[:, None] == group[None, :]] = -np.inf
        blocked = tabu_until > step
        gain[blocked, :] = -np.inf
        gain[:, blocked] = -np.inf
        cell = int(np.argmax(gain))
        x, y = divmod(cell, n)
        if not np.isfinite(gain[x, y]):
            break
        a, b = int(group[x]), int(group[y])
        totals[:, a] += weights[:, y] - weights[:, x]
        totals[:, b] += weights[:, x] - weights[:, y]
        group[x], group[y] = b, a
        current += float(gain[x, y])
        tabu_until[[x, y]] = step + TENURE
        if current > best_value + 1e-9:
            best_group, best_value, since_best = group.copy(), current, 0
        else:
            since_best += 1
            if since_best > patience:
                break
    return best_group


def plan_groups(
    ctx: DenseContext, k: int, rng: np.random.Generator
) -> tuple[list[tuple[int, ...]], list[int], list[str]]:
    n = len(ctx.scores)
    sizes = group_sizes(n, k)
    if len(sizes) <= 1:
        return _without_forbidden(ctx, [list(range(n))])
    weights = np.where(np.isfinite(ctx.effective), ctx.effective, FORBIDDEN)
    np.fill_diagonal(weights, 0.0)
    hard = ctx.met.sum(axis=1) + rng.random(n)
    order = np.argsort(-hard, kind="stable")
    group = _start(weights, sizes, order)
    group = _tabu(weights, group, len(sizes), max(200, min(4000, 40 * n)), PATIENCE)
    if _has_repeats(ctx, group):
        group = _repeat_free_search(ctx, weights, sizes, group, rng)
    return _without_forbidden(ctx, [np.flatnonzero(group == t).tolist() for t in range(len(sizes))])


def _has_repeats(ctx: DenseContext, group: IntArray) -> bool:
    return bool((ctx.met & (group[:, None] == group[None, :])).any())


def _repeat_free_search(
    ctx: DenseContext,
    weights: FloatArray,
    sizes: list[int],
    best: IntArray,
    rng: np.random.Generator,
) -> IntArray:
    """Search on the repeat penalty alone (soft score only as a faint guide) from fresh
    random starts; a repeat-free grouping found is then polished on the full weights."""
    n = len(weights)
    hard = np.where(ctx.met, weights - ctx.scores, 0.0) + SOFT_GUIDE * ctx.scores
    hard[~np.isfinite(ctx.effective)] = FORBIDDEN
    np.fill_diagonal(hard, 0.0)
    for _ in range(RETRIES):
        retry = _tabu(
            hard, _start(hard, sizes, rng.permutation(n)), len(sizes), HARD_STEPS, HARD_STEPS
        )
        if _value(hard, retry) > _value(hard, best) + 1e-9 * n:
            best = retry
        if not _has_repeats(ctx, best):
            return _tabu(weights, best, len(sizes), max(200, min(4000, 40 * n)), PATIENCE)
    return best


def _without_forbidden(
    ctx: DenseContext, groups: list[list[int]]
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
    return [tuple(sorted(g)) for g in groups if g], left_out, []
