"""Coffee rounds: split the available members into groups, repeat-free to the limit.

``plan_coffee_round`` is pure: the members available this round, the history of past
groups, the options and a seed in; a :class:`~pairing.models.Plan` out. Members are
sorted by id first, so the input order never matters. Pairs (k = 2) are planned on a
dense matrix up to ``DENSE_LIMIT`` members (:mod:`pairing.pair_round`) and on a sparse
candidate graph above it (:mod:`pairing.sparse_round`); groups of three or more by local
search (:mod:`pairing.group_round`).

Choices, in short (each module says more): an exact assignment solver (scipy) gives a
near-optimal matching (>= 0.99 of the blossom optimum) in a fraction of blossom's time;
repeat-freedom to the N-1 limit comes from choosing rounds out of 1-factorisations
(:mod:`pairing.certificate`), re-derived from the history each round because the
engine keeps no state; at 100,000 members, dense blocks of similar working hours plus a
sparse candidate graph keep a round within seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations

import numpy as np

from pairing.dense_context import DenseContext, forbidden_pairs
from pairing.group_round import plan_groups
from pairing.guard import clusters_of
from pairing.history import PairHistory, partner_array
from pairing.models import Member, PastGroup, Plan, Unmatched, UnmatchedReason, distinct_members
from pairing.options import CoffeeOptions
from pairing.pair_round import plan_pairs
from pairing.reasons import coffee_group
from pairing.sparse_round import plan_pairs_sparse
from pairing.table import MemberTable, coffee_scores

DENSE_LIMIT = 1200
GROUP_BLOCK = 300  # groups of 3+ in programs above DENSE_LIMIT: blocks of this size


def plan_coffee_round(
    members: Sequence[Member],
    history: Iterable[PastGroup],
    *,
    seed: int,
    options: CoffeeOptions = CoffeeOptions(),  # noqa: B008 - frozen, safe as a default
    priority: frozenset[str] = frozenset(),
) -> Plan:
    """Plan one coffee round.

    ``priority`` names members left out last round: they are placed before anyone
    else (never the one left over). The plan's ``score`` is the sum over groups of
    :func:`pairing.scoring.coffee_group_score` (for pairs, ``coffee_pair_score``).
    """
    people = distinct_members(members)
    n = len(people)
    if n == 0:
        return Plan(groups=(), seed=seed)
    if n == 1:
        return Plan(
            groups=(), unmatched=(Unmatched(people[0].id, UnmatchedReason.ALONE),), seed=seed
        )
    if options.group_size > 2 and n > DENSE_LIMIT:
        return _groups_in_blocks(people, list(history), seed, options, priority)
    index = {m.id: i for i, m in enumerate(people)}
    past = PairHistory.of(history, index, reoffer_missed=options.reoffer_missed)
    table = MemberTable.of(people)
    forbidden = (
        forbidden_pairs(people, index)
        if options.exclude_reporting_line
        else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    )
    wanted = np.array([m.id in priority for m in people], dtype=bool)
    rng = _seeded(seed)
    notes: list[str] = []
    if options.group_size == 2 and n <= DENSE_LIMIT:
        ctx = DenseContext.build(table, past, forbidden, options.weights, wanted)
        recent = [partner_array(r, n) for r in past.recent]
        clusters = clusters_of([table.team, table.department])
        groups, left_out, notes = plan_pairs(ctx, recent, rng, clusters)
    elif options.group_size == 2:
        groups, left_out, notes = plan_pairs_sparse(
            table, past, forbidden, options.weights, wanted, rng
        )
    else:
        ctx = DenseContext.build(table, past, forbidden, options.weights, wanted)
        groups, left_out, notes = plan_groups(ctx, options.group_size, rng)
    return _plan(people, table, groups, left_out, past, options, seed, notes)


def _seeded(seed: int) -> np.random.Generator:
    """The generator for ``seed``; any integer works (negative ones wrap to 64 bits)."""
    return np.random.default_rng(seed & 0xFFFF_FFFF_FFFF_FFFF)


def _groups_in_blocks(
    people: list[Member],
    history: list[PastGroup],
    seed: int,
    options: CoffeeOptions,
    priority: frozenset[str],
) -> Plan:
    """Groups of three or more for large programs: blocks of people with similar hours."""
    rng = _seeded(seed)
    table = MemberTable.of(people)
    order = np.lexsort((rng.random(len(people)), table.window))
    blocks = max(1, round(len(people) / GROUP_BLOCK))
    plans = [
        plan_coffee_round(
            [people[i] for i in block.tolist()],
            history,
            seed=seed,
            options=options,
            priority=priority,
        )
        for block in np.array_split(order, blocks)
    ]
    groups = tuple(sorted((g for p in plans for g in p.groups), key=lambda g: g.members))
    return Plan(
        groups=groups,
        unmatched=tuple(u for p in plans for u in p.unmatched),
        seed=seed,
        repeats=sum(p.repeats for p in plans),
        score=sum(g.score for g in groups),
        notes=tuple(note for p in plans for note in p.notes),
    )


def _plan(
    people: list[Member],
    table: MemberTable,
    groups: list[tuple[int, ...]],
    left_out: list[int],
    past: PairHistory,
    options: CoffeeOptions,
    seed: int,
    notes: list[str],
) -> Plan:
    ids = [m.id for m in people]
    ordered = [tuple(sorted(g)) for g in groups]
    pair_i, pair_j, owner = [], [], []
    for k, group in enumerate(ordered):
        for a, b in combinations(group, 2):
            pair_i.append(a)
            pair_j.append(b)
            owner.append(k)
    i, j = np.array(pair_i, np.int64), np.array(pair_j, np.int64)
    met, missed, _ = past.lookup(i, j)
    # identical, term by term, to pairing.scoring.coffee_pair_score (tests hold them equal)
    scores = coffee_scores(table, i, j, options.weights, missed).tolist()
    per_group: list[list[float]] = [[] for _ in ordered]
    for k, score in zip(owner, scores, strict=True):
        per_group[k].append(score)
    repeats_per_group = (
        np.bincount(np.array(owner, np.int64), weights=met, minlength=len(ordered))
        .astype(int)
        .tolist()
    )
    missed_per_group: dict[int, set[frozenset[str]]] = {}
    for k in np.flatnonzero(missed).tolist():
        missed_per_group.setdefault(owner[k], set()).add(
            frozenset((ids[pair_i[k]], ids[pair_j[k]]))
        )
    built = [
        coffee_group(
            [people[i] for i in g],
            per_group[k],
            repeats=repeats_per_group[k],
            missed=frozenset(missed_per_group.get(k, ())),
        )
        for k, g in enumerate(ordered)
    ]
    built.sort(key=lambda g: g.members)
    repeats = sum(g.repeat_pairs for g in built)
    all_notes = list(notes)
    if repeats:
        all_notes.append(f"{repeats} repeated pair(s): no repeat-free grouping was found")
    return Plan(
        groups=tuple(built),
        unmatched=tuple(Unmatched(ids[i], UnmatchedReason.NO_ALLOWED_PARTNER) for i in left_out),
        seed=seed,
        repeats=repeats,
        score=sum(g.score for g in built),
        notes=tuple(all_notes),
    )
