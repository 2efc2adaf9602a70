"""The README's rule for group sizes, in one place (rounds, designs and tests use it)."""

from __future__ import annotations


def group_sizes(n: int, k: int) -> list[int]:
    """Sizes of the groups for n members in groups of k.

    ``n // k`` groups of ``k``, the remainder spread one each over some of them (groups
    of ``k + 1``). If more are left over than there are groups (11 in fours), one more
    group is opened and sizes are as even as possible (4, 4, 3): a group one short beats
    a group far too big. Fewer than ``k`` members form one group.
    """
    groups = n // k
    if groups == 0:
        return [n] if n else []
    extra = n - groups * k
    if extra <= groups:
        return [k + 1] * extra + [k] * (groups - extra)
    base, more = divmod(n, groups + 1)
    return [base + 1] * more + [base] * (groups + 1 - more)
