"""Base classes of resolvable designs, developed under Z_m by :mod:`pairing.schedules`.

Points are ``0..f-1`` (fixed: every translate keeps them) and ``f + i*m + x`` for level
``i`` and ``x`` in Z_m; translate t moves ``(i, x)`` to ``(i, x + t)``. Each base class
is a partition of the points into blocks such that, over all classes, every orbit of
pairs under Z_m holds at most one pair of a block (and no block holds two fixed points):
then the m translates of each class are rounds in which no pair meets twice.

The classes were found by the search in ``bench/design_search.py`` (an exact cover of
points and pair orbits, OR-Tools CP-SAT) and are checked by the tests:

- the Kirkman triple system of 21 (every pair once in 10 rounds; 15, 27, 39, ..., 99
  come from :mod:`pairing.kirkman`);
- 100 in threes (32 threes and a four each round; 6 fixed points and two levels of
  Z_47: 47 rounds, where counting pairs allows 48);
- the resolvable design of 100 in fours (every pair once in 33 rounds): a fixed point
  and three levels of Z_33, every block mapped to itself by ``x -> -x`` (the search's
  ``--multiplier -1``): ``{inf, 0, 0, 0}`` and 24 blocks ``{x, -x}`` on one level with
  ``{y, -y}`` on another.
"""

from __future__ import annotations

from dataclasses import dataclass

Block = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Developed:
    fixed: int
    modulus: int
    levels: int
    classes: tuple[tuple[Block, ...], ...]


# (n, k): (fixed points, modulus, levels, base classes); a class is its blocks separated
# by spaces, a block its points separated by dots.
_TABLES: dict[tuple[int, int], tuple[int, int, int, tuple[str, ...]]] = {
    (21, 3): (
        1,
        5,
        4,
        (
            "4.5.13 14.3.6 15.12.17 18.10.9 8.20.0 16.2.19 1.7.11",
            "1.17.4 2.14.0 10.16.15 7.5.9 6.12.13 3.8.18 19.11.20",
        ),
    ),
    (100, 3): (
        6,
        47,
        2,
        (
            "15.26.29.91 33.50.97 37.45.96 54.56.72 6.13.18 61.89.93 0.10.58 27.77.80 "
            "22.48.76 47.51.67 31.66.86 9.11.34 40.46.79 59.60.95 38.68.94 25.85.98 65.82.90 "
            "41.78.84 2.8.99 35.44.71 3.28.53 69.83.92 43.81.88 14.32.63 19.20.39 17.30.87 "
            "7.23.75 1.12.70 16.57.62 5.49.73 42.52.74 4.24.64 21.36.55",
        ),
    ),
    (100, 4): (
        1,
        33,
        3,
        (
            "0.1.34.67 2.33.73.94 3.32.68.99 4.31.44.57 5.30.81.86 6.29.76.91 7.28.46.55 "
            "8.27.72.95 9.26.83.84 10.25.42.59 11.24.48.53 12.23.37.64 13.22.43.58 14.21.74.93 "
            "15.20.70.97 16.19.47.54 17.18.40.61 35.66.80.87 36.65.82.85 38.63.69.98 39.62.77.90 "
            "41.60.71.96 45.56.79.88 49.52.78.89 50.51.75.92",
        ),
    ),
}


def developed_design(n: int, k: int) -> Developed | None:
    """The table for n members in groups of k, if there is one."""
    entry = _TABLES.get((n, k))
    if entry is None:
        return None
    fixed, modulus, levels, classes = entry
    parsed = tuple(
        tuple(tuple(int(p) for p in block.split(".")) for block in text.split()) for text in classes
    )
    return Developed(fixed, modulus, levels, parsed)


def tabled() -> list[tuple[int, int]]:
    """Every (n, k) with a table."""
    return sorted(_TABLES)
