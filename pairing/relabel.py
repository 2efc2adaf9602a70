"""Which person plays which point of a design: the freedom a construction leaves.

A schedule fixes who meets whom only up to renaming its points. All its rounds together
hold (nearly) every pair once, so renaming hardly changes their total score; what it
changes is how that total is spread over the rounds. Rounds are taken best first
(:mod:`pairing.designs`), so the renaming should make some rounds very good and leave
the poor pairs together in a few late ones: it maximises ``sum_r (S_r - c)^2`` over the
round scores ``S_r`` (c below any round's score, so raising a round always pays and a
spread pays more than an even split). Pairs that may never meet (the reporting line)
score so low that their rounds come last.

Hill climbing on swaps of two points' people: for a swap the change of every round's
score is one array expression (each person's total with each group of each round), so a
step scores all swaps at once and makes the best ones that do not overlap. The result
depends only on the schedule and the scores (never the seed or the history), so every
round finds the same renaming again.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from pairing.schedules import round_pairs

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
NEVER = -1e4  # score of a pair that may never meet
MAX_STEPS = 60
ROWS = 24  # points whose swaps a step scores (a fixed sample)
WORK = 200_000_000  # steps x rounds x n x ROWS x largest group: about half a second
EPSILON = 1e-9


def round_scores(schedule: IntArray, weights: FloatArray) -> FloatArray:
    """Score of each round of ``schedule`` (rounds x points) on point weights."""
    r, i, j = round_pairs(schedule)
    scores: FloatArray = np.bincount(r, weights=weights[i, j], minlength=len(schedule)).astype(
        np.float64
    )
    return scores


def relabel(
    schedule: IntArray, scores: FloatArray, forbidden: BoolArray, start: IntArray | None = None
) -> IntArray:
    """``person[p]``: who plays point p (indices into ``scores``), hill-climbed from
    ``start`` (default: person p plays point p)."""
    rounds, n = schedule.shape
    weights = np.zeros((n + 1, n + 1))  # index n: "nobody", scores 0 with everyone
    weights[:n, :n] = np.where(forbidden, NEVER, scores)
    np.fill_diagonal(weights, 0.0)
    person = np.arange(n + 1, dtype=np.int64)  # person[n] = n: nobody stays nobody
    if start is not None:
        person[:n] = start
    rows = min(n, ROWS)
    kmax = int(max(np.bincount(row).max() for row in schedule))
    steps = min(MAX_STEPS, WORK // max(1, rounds * n * rows * kmax))
    pairs = round_pairs(schedule)
    members = _members(schedule, kmax, n)  # [r, g, a]: a-th point of group g, else n
    everyone = np.arange(n)
    r_all = np.arange(rounds)[:, None]
    floor = NEVER * float(np.bincount(pairs[0]).max()) - 1.0
    value = _objective(pairs, rounds, weights, person, floor)
    sampler = np.random.default_rng(n)  # fixed: the renaming must not depend on the seed
    for _ in range(steps):
        chosen = np.sort(sampler.choice(n, rows, replace=False))
        w = weights[np.ix_(person, person)]
        own_all = w[everyone[None, :, None], members[r_all, schedule]].sum(axis=2)  # [r, q]
        mine = w[chosen[None, :, None, None], members[:, None, :, :]].sum(axis=3)  # [r, p, g]
        cross = np.take_along_axis(
            mine, np.broadcast_to(schedule[:, None, :], (rounds, rows, n)), 2
        )
        their_group = members[r_all, schedule[:, chosen]]  # [r, p, a]
        theirs = w[everyone[None, None, :, None], their_group[:, :, None, :]].sum(axis=3)
        level = own_all.sum(axis=1) / 2 - floor
        delta = cross + theirs - own_all[:, chosen, None] - own_all[:, None, :] - 2 * w[chosen, :n]
        delta[schedule[:, chosen][:, :, None] == schedule[:, None, :]] = 0.0
        gain = np.zeros((n, n))
        gain[chosen] = np.tensordot(2 * level, delta, axes=1) + np.einsum(
            "rpq,rpq->pq", delta, delta
        )
        swaps = _best_swaps(np.maximum(gain, gain.T))
        if not swaps:
            continue
        trial = _swapped(person, swaps)
        trial_value = _objective(pairs, rounds, weights, trial, floor)
        if trial_value <= value:  # the swaps interfered: the single best one is exact
            trial = _swapped(person, swaps[:1])
            trial_value = _objective(pairs, rounds, weights, trial, floor)
        person, value = trial, trial_value
    return person[:n]


def _members(schedule: IntArray, kmax: int, nobody: int) -> IntArray:
    rounds, n = schedule.shape
    groups = int(schedule.max()) + 1
    members = np.full((rounds, groups, kmax), nobody, np.int64)
    for r, row in enumerate(schedule):
        order = np.argsort(row, kind="stable")
        starts = np.concatenate(([0], np.cumsum(np.bincount(row, minlength=groups))[:-1]))
        members[r, row[order], np.arange(n) - starts[row[order]]] = order
    return members


def _objective(
    pairs: tuple[IntArray, IntArray, IntArray],
    rounds: int,
    weights: FloatArray,
    person: IntArray,
    floor: float,
) -> float:
    r, i, j = pairs
    level = np.bincount(r, weights=weights[person[i], person[j]], minlength=rounds) - floor
    return float((level**2).sum())


def _swapped(person: IntArray, swaps: list[tuple[int, int]]) -> IntArray:
    result = person.copy()
    for p, q in swaps:
        result[p], result[q] = result[q], result[p]
    return result


def _best_swaps(gain: FloatArray) -> list[tuple[int, int]]:
    """The best non-overlapping improving swaps (a quarter of the points at most)."""
    n = len(gain)
    gain = np.triu(gain, 1)
    flat = np.flatnonzero(gain > EPSILON * (1.0 + np.abs(gain).max()))
    flat = flat[np.argsort(-gain.flat[flat], kind="stable")][: 4 * n]
    used = np.zeros(n, dtype=bool)
    swaps: list[tuple[int, int]] = []
    for cell in flat.tolist():
        p, q = divmod(cell, n)
        if not (used[p] or used[q]):
            used[p] = used[q] = True
            swaps.append((p, q))
            if 4 * len(swaps) >= n:
                break
    return swaps


def onto(schedule: IntArray, groups: list[tuple[int, ...]]) -> IntArray | None:
    """A renaming that makes the schedule's first round exactly ``groups`` (people),
    if the sizes match: the best round found for the people becomes a design round."""
    row = schedule[0]
    points = sorted((np.flatnonzero(row == g).tolist() for g in range(int(row.max()) + 1)), key=len)
    people = sorted((list(g) for g in groups), key=len)
    if [len(p) for p in points] != [len(g) for g in people]:
        return None
    person = np.empty(len(row), np.int64)
    for p, g in zip(points, people, strict=True):
        person[p] = g
    return person
