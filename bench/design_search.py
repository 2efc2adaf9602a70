"""Find base classes for ``pairing.design_tables``: run offline, paste the output.

    python -m bench.design_search --fixed 1 --modulus 7 --levels 2 --size 3
    python -m bench.design_search --fixed 1 --modulus 5 --levels 4 --size 3 --classes 2
    python -m bench.design_search --fixed 1 --modulus 33 --levels 3 --size 4 --multiplier -1

Points are ``0..f-1`` (fixed) and ``f + i*m + x`` (level i, x in Z_m). Translating by
Z_m maps pairs to pairs; a base class works if, over all classes, its blocks hold at
most one pair of each orbit (and never two fixed points, nor a pair whose orbit is
shorter than m). With as many pairs as orbits that is an exact cover of the points of
each class and of the pair orbits, solved here by OR-Tools CP-SAT over all candidate
blocks (feasible up to a few hundred thousand blocks: triples on 100 points, quads on
about 40). ``--multiplier u`` keeps only blocks that ``x -> u x`` (on every level) maps
to themselves, a far smaller search: with u = -1 the resolvable design of 100 in fours
comes out in a second, where searches without it found nothing in minutes. 32 in fours
did not come out of any structure tried (2 fixed points and three levels of Z_10, two
classes over Z_5, Z_8 on four levels with two rounds of its own; each for minutes, and
with the multiplier -1 proved impossible for Z_10): it is constructed outright
(:mod:`pairing.lifted`), as are the Kirkman systems of 2q + 1 (:mod:`pairing.kirkman`).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys

from ortools.sat.python import cp_model

BAD = -2


def orbits(fixed: int, modulus: int, levels: int) -> list[list[int]]:
    """``orbit[p][q]``: the orbit id of pair {p, q}, or BAD."""
    n = fixed + modulus * levels
    ids: dict[tuple[int, ...], int] = {}
    table = [[BAD] * n for _ in range(n)]
    for p, q in itertools.permutations(range(n), 2):
        if p < fixed and q < fixed:
            continue
        if p < fixed or q < fixed:
            f, other = (p, q) if p < fixed else (q, p)
            key: tuple[int, ...] = (0, f, (other - fixed) // modulus)
        else:
            (i, x), (j, y) = divmod(p - fixed, modulus), divmod(q - fixed, modulus)
            if i > j:
                (i, x), (j, y) = (j, y), (i, x)
            d = (y - x) % modulus
            if i == j:
                d = min(d, modulus - d)
                if 2 * d == modulus:
                    continue
            key = (1, i, j, d)
        table[p][q] = ids.setdefault(key, len(ids))
    return table


def invariant_blocks(fixed: int, modulus: int, levels: int, size: int, unit: int):
    """Blocks that ``x -> unit * x`` maps to themselves: unions of its point cycles."""
    n = fixed + modulus * levels
    image = [
        p if p < fixed else p - (p - fixed) % modulus + unit * (p - fixed) % modulus
        for p in range(n)
    ]
    cycles, seen = [], set()
    for p in range(n):
        cycle = []
        while p not in seen:
            seen.add(p)
            cycle.append(p)
            p = image[p]
        if 0 < len(cycle) <= size:
            cycles.append(cycle)
    for count in range(1, size + 1):
        for chosen in itertools.combinations(cycles, count):
            if sum(map(len, chosen)) == size:
                yield tuple(sorted(p for cycle in chosen for p in cycle))


def exact_cover(
    fixed: int,
    modulus: int,
    levels: int,
    size: int,
    classes: int,
    seconds: float,
    multiplier: int = 1,
):
    table = orbits(fixed, modulus, levels)
    n = len(table)
    blocks = []
    candidates = (
        itertools.combinations(range(n), size)
        if multiplier == 1
        else invariant_blocks(fixed, modulus, levels, size, multiplier)
    )
    for block in candidates:
        ids = [table[a][b] for a, b in itertools.combinations(block, 2)]
        if BAD not in ids and len(set(ids)) == len(ids):
            blocks.append((block, ids))
    model = cp_model.CpModel()
    chosen = {(c, b): model.new_bool_var("") for c in range(classes) for b in range(len(blocks))}
    for c in range(classes):
        for p in range(n):
            model.add_exactly_one(chosen[c, b] for b, (blk, _) in enumerate(blocks) if p in blk)
    by_orbit: dict[int, list[cp_model.IntVar]] = {}
    for (_, b), var in chosen.items():
        for o in blocks[b][1]:
            by_orbit.setdefault(o, []).append(var)
    for variables in by_orbit.values():
        model.add_at_most_one(variables)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [
        [blocks[b][0] for b in range(len(blocks)) if solver.value(chosen[c, b])]
        for c in range(classes)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("fixed", "modulus", "levels", "size"):
        parser.add_argument(f"--{name}", type=int, required=True)
    parser.add_argument("--classes", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--multiplier", type=int, default=1)
    args = parser.parse_args(argv)
    found = exact_cover(
        args.fixed,
        args.modulus,
        args.levels,
        args.size,
        args.classes,
        args.seconds,
        args.multiplier,
    )
    if found is None:
        print("no base classes found in time", file=sys.stderr)
        return 1
    print(json.dumps([" ".join(".".join(map(str, b)) for b in cls) for cls in found]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
