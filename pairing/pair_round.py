"""A coffee round of pairs on a dense weight matrix (up to ``DENSE_LIMIT`` members).

Order of concerns: hard exclusions, then as few repeated pairs as possible (and the
oldest ones when a repeat is unavoidable), then the soft score.

Why two modes. With fixed membership the graph of pairs who have not met is
d-regular, and N-1 repeat-free rounds need it to split into perfect matchings at every
step; a per-round optimum can break that and dead-end long before N-1. So:

- *certified* (:mod:`pairing.certificate`), whenever the unmet graph is regular and
  has at most ``CERTIFY_MAX_EDGES`` edges: the round is the best matching (first
  passed through the odd-cluster guard) if the rest can be factorised, else the best
  class of a factorisation; either way a factorisation of what remains is known,
  which is what carries the program to N-1. Factorisations split along the tight
  cuts of odd teams and departments (:mod:`pairing.tight_cuts`).
  Small programs (N <= ~350) are certified from the first round on; the first
  rounds' soft score is still the best matching's.
- *free* otherwise (larger programs early on, or membership that changes): the best
  matching on the effective weights (:mod:`pairing.dense_matching`), a maximum-
  cardinality repair on the unmet graph (:mod:`pairing.blossom`) so that nobody repeats
  while a repeat-free partition exists, and the odd-cluster guard
  (:mod:`pairing.guard`) so that a cross-team preference cannot strand an odd team or
  department before certified mode takes over. Dense regular graphs (degree at least
  about N/2) are always 1-factorisable, so the free mode early on risks nothing else.

Up to 64 members the best matching is exact (Edmonds' blossom algorithm, see
:mod:`pairing.dense_matching`); with an odd number to place, a few people are tried as
the trio's third, each with the exact matching of the others.

The alternative of anchoring on a fixed round-robin schedule would reach N-1 too, but
its rounds are rotations of one labelling, far from the soft optimum after the first.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from pairing.blossom import maximum_matching
from pairing.certificate import certified_round
from pairing.dense_context import PRIORITY_CREDIT, DenseContext
from pairing.dense_matching import EXACT_MAX_MEMBERS, best_matching, exact_matching, two_opt
from pairing.designs import design_round
from pairing.guard import guard_odd_clusters
from pairing.repeat_free import trio_and_matching

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
CERTIFY_MAX_EDGES = 60_000
ODD_TRY_ALL = 15  # odd programs up to this size try everyone as the trio's third
ODD_SHORTLIST = 4
UNPAIRED = -1e9


def plan_pairs(
    ctx: DenseContext,
    recent: list[IntArray],
    rng: np.random.Generator,
    clusters: Sequence[IntArray] = (),
) -> tuple[list[tuple[int, ...]], list[int], list[str]]:
    """Groups (pairs, maybe one triple), members left out, and notes.

    ``clusters`` (teams, departments) are kept connected by :mod:`pairing.guard`.
    """
    n = len(ctx.scores)
    if n % 2:
        design = design_round(ctx, 2)
        if design is not None:
            return design.groups, [], [design.note]
    notes: list[str] = []
    mate = _certified(ctx, recent, notes, rng, clusters)
    if mate is None:
        mate = _free(ctx, rng)
        guard_odd_clusters(mate, ctx.unmet, ctx.effective, clusters)
    groups: list[tuple[int, ...]] = [(a, int(mate[a])) for a in range(n) if mate[a] > a]
    left = [int(v) for v in np.flatnonzero(mate < 0)]
    left_out: list[int] = []
    for x in left:
        target = _best_pair_to_join(ctx, groups, x)
        if target is None:
            left_out.append(x)
        else:
            groups[target] = (*groups[target], x)
    if n % 2 and _repeats(ctx, groups):
        exact = _repeat_free_odd(ctx, groups)
        if exact is not None:
            return exact, [], [*notes, "exact: an unmet trio and a perfect matching of the rest"]
    return groups, left_out, notes


def _repeats(ctx: DenseContext, groups: list[tuple[int, ...]]) -> bool:
    return any(ctx.met[a, b] for g in groups for a in g for b in g if a < b)


def _repeat_free_odd(
    ctx: DenseContext, groups: list[tuple[int, ...]]
) -> list[tuple[int, ...]] | None:
    """A repeat-free round (trio + pairs) if one exists (:mod:`pairing.repeat_free`),
    started from the unmet pairs of ``groups`` and raised by 2-opt on unmet pairs."""
    n = len(ctx.unmet)
    lists = [np.flatnonzero(row).tolist() for row in ctx.unmet]
    start = [-1] * n
    for g in groups:
        if len(g) == 2 and ctx.unmet[g[0], g[1]]:
            start[g[0]], start[g[1]] = g[1], g[0]
    found = trio_and_matching(n, lists.__getitem__, start)
    if found is None:
        return None
    trio, matching = found
    mate = np.array(matching, dtype=np.int64)
    mate[list(trio)] = -1
    mate = two_opt(np.where(ctx.unmet, ctx.effective, -np.inf), mate)
    return [trio, *((a, int(mate[a])) for a in range(n) if mate[a] > a)]


def _certified(
    ctx: DenseContext,
    recent: list[IntArray],
    notes: list[str],
    rng: np.random.Generator,
    clusters: Sequence[IntArray],
) -> IntArray | None:
    n = len(ctx.unmet)
    degrees = np.count_nonzero(ctx.unmet, axis=1)
    d = int(degrees[0]) if n else 0
    if n < 2 or n % 2 or d == 0 or (degrees != d).any() or n * d // 2 > CERTIFY_MAX_EDGES:
        return None
    restricted = np.where(ctx.unmet, ctx.effective, -np.inf)
    best = best_matching(restricted, ctx.unmet, rng)
    perfect = best if (best >= 0).all() else None
    if perfect is not None and not guard_odd_clusters(perfect, ctx.unmet, ctx.effective, clusters):
        perfect = None  # the rest would strand an odd cluster: no factorisation to look for
    odd = [c for c in clusters if len(c) % 2]
    mate = certified_round(ctx.unmet, ctx.scores, perfect, recent, CERTIFY_MAX_EDGES, odd)
    if mate is not None:
        notes.append(f"certified: one of {d} perfect matchings of the unmet pairs")
    return mate


def _free(ctx: DenseContext, rng: np.random.Generator) -> IntArray:
    finite = np.isfinite(ctx.effective)
    np.fill_diagonal(finite, False)
    able = np.flatnonzero(finite.any(axis=1))  # the others may be matched with nobody
    if len(able) % 2 and len(ctx.effective) <= EXACT_MAX_MEMBERS:
        mate = np.full(len(finite), -1, dtype=np.int64)
        inner = _odd_exact(ctx.effective[np.ix_(able, able)], ctx.priority[able], rng)
        paired = inner >= 0
        mate[able[paired]] = able[inner[paired]]
        return mate
    mate = best_matching(ctx.effective, ctx.unmet, rng)
    n = len(mate)
    rows = np.arange(n)
    on_unmet = (mate >= 0) & ctx.unmet[rows, np.maximum(mate, 0)]
    unmet_mate = np.where(on_unmet, mate, -1)
    free = np.flatnonzero(unmet_mate < 0)
    if len(free) < 2:
        return mate
    unmet = ctx.unmet
    grown = maximum_matching(
        n, lambda v: np.flatnonzero(unmet[v]).tolist(), unmet_mate.tolist(), free.tolist()
    )
    grown_mate = np.array(grown, dtype=np.int64)
    if (grown_mate >= 0).sum() <= (unmet_mate >= 0).sum():
        return mate
    rest = np.flatnonzero(grown_mate < 0)
    if len(rest) > 1:
        sub = best_matching(ctx.effective[np.ix_(rest, rest)], rng=rng)
        ok = sub >= 0
        grown_mate[rest[ok]] = rest[sub[ok]]
    return two_opt(ctx.effective, grown_mate)


def _joining(
    weights: FloatArray, priority: npt.NDArray[np.bool_], x: int, a: IntArray, b: IntArray
) -> FloatArray:
    """The value of ``x`` joining each pair ``(a[i], b[i])``."""
    value: FloatArray = weights[x, a] + weights[x, b]
    # Effective weights credit a priority member once per pair; in a trio the credits
    # are taken back twice, so a priority member is never the third nor in the pair.
    value -= 2 * PRIORITY_CREDIT * (priority[a].astype(float) + priority[b] + priority[x])
    return value


def _odd_exact(
    weights: FloatArray, priority: npt.NDArray[np.bool_], rng: np.random.Generator
) -> IntArray:
    """A small odd program: the exact matching of everyone but one, who then joins a pair.

    Who is left over decides the trio, so several are tried (everyone up to
    ``ODD_TRY_ALL``, else the one the matching of all leaves over and those with the best
    two partners): each gets the exact matching of the others plus their best pair to
    join, and the best total wins. Someone who can join no pair is never chosen while
    another can.
    """
    n = len(weights)
    perm = rng.permutation(n)  # ties by the seed

    def leaving_out(x: int) -> tuple[float, IntArray]:
        rest = perm[perm != x]
        sub = exact_matching(weights[np.ix_(rest, rest)])
        mate = np.full(n, -1, dtype=np.int64)
        paired = sub >= 0
        mate[rest[paired]] = rest[sub[paired]]
        a = np.flatnonzero(mate > np.arange(n))
        b = mate[a]
        join = _joining(weights, priority, x, a, b)
        best = float(join.max()) if len(join) else -np.inf
        total = float(weights[a, b].sum()) + UNPAIRED * int((~paired).sum())
        return (total + best if np.isfinite(best) else -np.inf), mate

    if n <= ODD_TRY_ALL:
        candidates = perm.tolist()
    else:
        whole = exact_matching(weights[np.ix_(perm, perm)])
        natural = [int(v) for v in perm[whole < 0][:1]]
        two_best = np.sort(np.where(np.isfinite(weights), weights, -np.inf), axis=1)[:, -2:]
        potential = two_best.sum(axis=1)[perm]
        ranked = perm[np.argsort(-potential, kind="stable")][:ODD_SHORTLIST].tolist()
        candidates = list(dict.fromkeys(natural + ranked))
    tried = [leaving_out(x) for x in candidates]
    best = max(range(len(tried)), key=lambda i: tried[i][0])
    return tried[best][1]


def _best_pair_to_join(ctx: DenseContext, groups: list[tuple[int, ...]], x: int) -> int | None:
    """Index of the pair that ``x`` joins best (fewest repeats, then score), if any."""
    pairs = [k for k, g in enumerate(groups) if len(g) == 2]
    if not pairs:
        return None
    a = np.array([groups[k][0] for k in pairs])
    b = np.array([groups[k][1] for k in pairs])
    value = _joining(ctx.effective, ctx.priority, x, a, b)
    best = int(np.argmax(value))
    return pairs[best] if np.isfinite(value[best]) else None
