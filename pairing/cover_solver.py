"""Exact cover by CP-SAT: the proof Algorithm X cannot give within its node limit.

:func:`pairing.exact_cover.exact_cover` stops after a fixed number of branches, so when
it finds nothing that means "none, or not found". This solves the same problem -- pick
groups (cliques of unmet pairs) covering every member once, with exactly the round's
number of groups of each size, best total score -- with OR-Tools CP-SAT, which either
finds a cover or proves there is none. One worker and a fixed seed make the answer the
same on every run; ``seconds`` bounds the time (then the answer is "unknown": ``None``,
as for no cover).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
SECONDS = 10.0
SCALE = 1000  # score units per objective unit (CP-SAT needs integers)


def cover_by_cp_sat(
    n: int,
    rows: Sequence[tuple[int, ...]],
    sizes: Sequence[int],
    value: FloatArray,
    seconds: float = SECONDS,
) -> list[tuple[int, ...]] | None:
    """Groups from ``rows`` covering ``0..n-1`` once each with the multiset ``sizes``
    and the best total ``value`` found in time; ``None`` if there is none (or time ran
    out before one was found)."""
    # imported here: CP-SAT (and pandas, which it loads) costs 0.4 s at start-up, and
    # most processes (the web app, the CLI's reports) never search a cover
    from ortools.sat.python import cp_model  # type: ignore[import-untyped,import-not-found,unused-ignore]

    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"g{r}") for r in range(len(rows))]
    members: list[list[cp_model.IntVar]] = [[] for _ in range(n)]
    for var, row in zip(chosen, rows, strict=True):
        for v in row:
            members[v].append(var)
    for v in range(n):
        if not members[v]:
            return None
        model.add_exactly_one(members[v])
    for size in set(sizes):
        of_size = [var for var, row in zip(chosen, rows, strict=True) if len(row) == size]
        model.add(sum(of_size) == list(sizes).count(size))
    points = np.rint((value - value.min()) * SCALE).astype(np.int64).tolist()
    model.maximize(sum(p * var for p, var in zip(points, chosen, strict=True)))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [row for var, row in zip(chosen, rows, strict=True) if solver.value(var)]
