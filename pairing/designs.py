"""Groups of k to (nearly) the limit: rounds taken from a resolvable design.

Rounds chosen one at a time run out of repeat-free groupings well before the limit
``(N - 1) / (k - 1)``: the pairs left over stop holding a grouping into cliques
(at N = 100 and k = 4, after about 25 of 33 rounds, whatever the search). A schedule
planned as a whole goes further. When N = k * m and the smallest prime factor of m is
at least k, the cyclic resolvable transversal design does it for all pairs between k
*parts* of m members: member ``x`` of part ``i`` (``0 <= x < m``) meets, in round ``a``,
the members ``(j, x + a * (j - i) mod m)`` of the other parts, one from each. As ``j - i``
is invertible mod m, every two members of different parts meet exactly once in these m
rounds, and each round splits everyone into m groups of k. After them only pairs
inside a part are left: each part is then grouped on its own, by the usual search
(:mod:`pairing.group_round`). At N = 100 and k = 4: 25 design rounds, then about six
inside the parts of 25.

Soft preferences decide the design: the parts are chosen to keep the low-scoring pairs
(same team, far-apart hours) inside parts, so that the better pairs are the ones met
first; and each round takes the best-scoring of the rounds still unused. Pairs that may
never meet (the reporting line) are kept inside parts, or the design is not used.

The engine keeps no state, so the design is rebuilt every round from the members and
their scores alone (never the seed or the history), and used only while the history
agrees with it: every pair met across parts was met in a round of the design, complete.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pairing.dense_context import DenseContext
from pairing.group_search import swap_search

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
MAX_MEMBERS = 600
TOGETHER = 1e6  # forbidden pairs are pulled into the same part
PART_STEPS = 2000
PART_WORK = 50_000_000  # steps x n^2: each step of the parts' search rebuilds its gains
PART_PATIENCE = 200
FRONT_LOAD_STEPS = 100
FRONT_LOAD_WORK = 50_000_000  # steps x k^2 m^3: about 0.3 s
EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class DesignRound:
    """This round by the design: its groups, or the parts to group one by one."""

    groups: list[tuple[int, ...]]
    parts: list[IntArray]
    note: str


def smallest_prime_factor(m: int) -> int:
    p = 2
    while p * p <= m:
        if m % p == 0:
            return p
        p += 1
    return m


def design_size(n: int, k: int) -> int | None:
    """Part size m of the design for n members in groups of k, if there is one."""
    if k < 3 or n % k or n > MAX_MEMBERS:
        return None
    m = n // k
    return m if m >= k and smallest_prime_factor(m) >= k else None


def design_round(ctx: DenseContext, k: int) -> DesignRound | None:
    """This round from the design, or ``None`` if it does not apply or the history
    disagrees with it."""
    n = len(ctx.scores)
    m = design_size(n, k)
    if m is None or ctx.missed.any():
        return None
    parts = _parts(ctx, k)
    if parts is None:
        return None
    blocks = _blocks(parts, m, k)  # blocks[a, b] = members of group b in round a
    used = _used_rounds(ctx, blocks, parts)
    if used is None:
        return None
    if used.all():
        return DesignRound([], list(parts), f"design: all {m} rounds across parts done")
    value = _round_scores(ctx.effective, blocks)
    value[used] = -np.inf
    best = int(np.argmax(value))
    groups = [tuple(int(v) for v in block) for block in blocks[best]]
    note = f"design: round {int(used.sum()) + 1} of {m} across {k} parts"
    return DesignRound(groups, [], note)


def _parts(ctx: DenseContext, k: int) -> IntArray | None:
    """k parts of m members (rows), each sorted, chosen to hold the low-scoring pairs."""
    n = len(ctx.scores)
    forbidden = ctx.forbidden.copy()
    np.fill_diagonal(forbidden, False)
    weights = np.where(forbidden, TOGETHER, -ctx.scores)
    np.fill_diagonal(weights, 0.0)
    steps = min(PART_STEPS, max(PART_PATIENCE, PART_WORK // (n * n)))
    part = swap_search(weights, np.arange(n) % k, k, steps, PART_PATIENCE)
    same = part[:, None] == part[None, :]
    if (forbidden & ~same).any():
        return None
    parts = np.stack([np.flatnonzero(part == i) for i in range(k)]).astype(np.int64)
    return _front_load(parts, ctx.scores, k)


def _front_load(parts: IntArray, scores: FloatArray, k: int) -> IntArray:
    """Order each part so that the design's rounds differ in score as much as they can.

    The rounds together always hold every pair across parts once, so their total is
    fixed; spreading them (maximising the sum of squared round scores) lets the best
    rounds come first. Hill climbing on swaps of two members of one part.
    """
    m = parts.shape[1]
    parts = parts.copy()
    steps = min(FRONT_LOAD_STEPS, FRONT_LOAD_WORK // (k * k * m**3))
    a = np.arange(m)[:, None, None]
    x = np.arange(m)[None, :, None]
    y = np.arange(m)[None, None, :]
    for _ in range(steps):
        blocks = _blocks(parts, m, k)
        per_round = _round_scores(scores, blocks)
        best_gain, best_move = EPSILON, None
        for i in range(k):
            # q[a, x, y]: score of the member at position x of part i with the others of
            # the group that position y belongs to in round a
            q = np.zeros((m, m, m))
            for j in range(k):
                if j != i:
                    others = parts[j][(a * j + y - a * i) % m]  # (m, 1, m)
                    q += scores[parts[i][x], others]
            diagonal = np.einsum("axx->ax", q)
            delta = q + q.transpose(0, 2, 1) - diagonal[:, :, None] - diagonal[:, None, :]
            gain = np.einsum("a,axy->xy", 2 * per_round, delta) + (delta**2).sum(axis=0)
            cell = int(np.argmax(gain))
            if gain.flat[cell] > best_gain:
                best_gain, best_move = float(gain.flat[cell]), (i, *divmod(cell, m))
        if best_move is None:
            break
        i, px, py = best_move
        parts[i, [px, py]] = parts[i, [py, px]]
    return parts


def _blocks(parts: IntArray, m: int, k: int) -> IntArray:
    a = np.arange(m)[:, None, None]
    b = np.arange(m)[None, :, None]
    i = np.arange(k)[None, None, :]
    blocks: IntArray = parts[i, (a * i + b) % m]
    return blocks


def _used_rounds(
    ctx: DenseContext, blocks: IntArray, parts: IntArray
) -> npt.NDArray[np.bool_] | None:
    """Which design rounds the history holds; ``None`` if it holds anything else
    across parts (or part of a round)."""
    m, _, k = blocks.shape
    met_per_round = np.zeros(m, dtype=np.int64)
    for i in range(k):
        for j in range(i + 1, k):
            met_per_round += ctx.met[blocks[:, :, i], blocks[:, :, j]].sum(axis=1)
    full = m * k * (k - 1) // 2
    if ((met_per_round > 0) & (met_per_round < full)).any():
        return None
    part_of = np.empty(len(ctx.scores), dtype=np.int64)
    part_of[parts] = np.arange(k)[:, None]
    across = ctx.met & (part_of[:, None] != part_of[None, :])
    if int(across.sum()) // 2 != int(met_per_round.sum()):
        return None
    used: npt.NDArray[np.bool_] = met_per_round == full
    return used


def _round_scores(weights: FloatArray, blocks: IntArray) -> FloatArray:
    _, _, k = blocks.shape
    value = np.zeros(blocks.shape[0])
    for i in range(k):
        for j in range(i + 1, k):
            value += weights[blocks[:, :, i], blocks[:, :, j]].sum(axis=1)
    return value
