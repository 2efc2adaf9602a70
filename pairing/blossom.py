"""Maximum-cardinality matching by Edmonds' blossom algorithm (augmenting paths).

Used to repair what a greedy matcher leaves over: given a matching, it searches an
augmenting path from every free vertex (contracting odd cycles, the "blossoms") and
flips it, so the result is a maximum matching of the graph. A vertex from which no
augmenting path exists never gets one later, so each is searched once. The graph is
given as a neighbour function, so callers can serve rows of a dense mask or lists.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence

Neighbours = Callable[[int], Iterable[int]]


class _Search:
    def __init__(self, n: int, neighbours: Neighbours, mate: list[int]) -> None:
        self.n, self.neighbours, self.mate = n, neighbours, mate

    def _lca(self, a: int, b: int, base: list[int], parent: list[int]) -> int:
        seen = set()
        while True:
            a = base[a]
            seen.add(a)
            if self.mate[a] == -1:
                break
            a = parent[self.mate[a]]
        while True:
            b = base[b]
            if b in seen:
                return b
            b = parent[self.mate[b]]

    def _mark(
        self,
        v: int,
        stop: int,
        child: int,
        base: list[int],
        parent: list[int],
        in_blossom: set[int],
    ) -> None:
        while base[v] != stop:
            in_blossom.add(base[v])
            in_blossom.add(base[self.mate[v]])
            parent[v] = child
            child = self.mate[v]
            v = parent[self.mate[v]]

    def augmenting_path_end(self, root: int) -> tuple[int, list[int]]:
        """Free vertex at the end of an augmenting path from ``root`` (or -1), parents."""
        mate, n = self.mate, self.n
        parent = [-1] * n
        base = list(range(n))
        used = [False] * n
        used[root] = True
        queue = deque([root])
        touched: list[int] = [root]
        while queue:
            v = queue.popleft()
            for to in self.neighbours(v):
                if base[v] == base[to] or mate[v] == to:
                    continue
                if to == root or (mate[to] != -1 and parent[mate[to]] != -1):
                    cur = self._lca(v, to, base, parent)
                    in_blossom: set[int] = set()
                    self._mark(v, cur, to, base, parent, in_blossom)
                    self._mark(to, cur, v, base, parent, in_blossom)
                    for i in touched:
                        if base[i] in in_blossom:
                            base[i] = cur
                            if not used[i]:
                                used[i] = True
                                queue.append(i)
                elif parent[to] == -1:
                    parent[to] = v
                    touched.append(to)
                    if mate[to] == -1:
                        return to, parent
                    used[mate[to]] = True
                    touched.append(mate[to])
                    queue.append(mate[to])
        return -1, parent

    def augment(self, end: int, parent: list[int]) -> None:
        v = end
        while v != -1:
            pv = parent[v]
            nv = self.mate[pv]
            self.mate[v], self.mate[pv] = pv, v
            v = nv


def maximum_matching(
    n: int, neighbours: Neighbours, mate: Sequence[int], roots: Iterable[int] | None = None
) -> list[int]:
    """Grow ``mate`` (partner index or -1 per vertex) into a maximum matching.

    ``roots`` limits the search to some free vertices (default: all free vertices).
    """
    result = list(mate)
    search = _Search(n, neighbours, result)
    for root in roots if roots is not None else range(n):
        if result[root] != -1:
            continue
        end, parent = search.augmenting_path_end(root)
        if end != -1:
            search.augment(end, parent)
    return result
