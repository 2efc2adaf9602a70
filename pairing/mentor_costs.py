"""Mentorship scores as exact integers, so the b-matching solver works on integers.

:func:`pairing.scoring.mentorship_score` is a sum of four terms, each a weight times an
integer (goals covered, shared minutes up to ``overlap_full_minutes``, a no-overlap
flag, seniority steps). Each weight is read as the rational number it stands for (the
smallest denominator within float noise of it: 2.0 / 240 is 1/120, 0.7 is 7/10), and
all are put over a common denominator D. Then ``D * score`` is an integer computed
exactly from integers -- no float is rounded, whatever the working hours -- and the
integer optimum *is* the optimum of the scores. (The earlier approach rounded float
scores and checked the rounding afterwards; with working hours at odd minutes float
noise failed that check at every scale and a twenty times slower fallback ran.)

Weights with no small denominator (an irrational-looking 0.1234567891) are approximated
with D = 2^k; each pair's cost is then within 2 / D of D times its score, and the
solution's score within ``tolerance`` of the optimum, which the plan notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import lcm

import numpy as np
import numpy.typing as npt

from pairing.options import Weights
from pairing.table import MemberTable, _shared_count

IntArray = npt.NDArray[np.int64]
MAX_DENOMINATOR = 10**6
NOISE = 1e-12  # relative: how far a float may sit from the rational it stands for
MAX_COST = 2**40  # per pair; the flow solver multiplies costs by the node count


@dataclass(frozen=True, slots=True)
class CostScale:
    """Integer coefficients: cost = goal * covered + minute * min(m, full) (or
    -penalty without overlap) + step * seniority gap, all over ``denominator``."""

    denominator: int
    goal: int
    minute: int
    penalty: int
    step: int
    exact: bool

    @property
    def tolerance(self) -> float:
        """Bound on |cost / D - score| per pair (0 when exact)."""
        return 0.0 if self.exact else 2.0 / self.denominator


def _rational(x: float) -> Fraction | None:
    close = Fraction(x).limit_denominator(MAX_DENOMINATOR)
    return close if abs(float(close) - x) <= NOISE * max(1.0, abs(x)) else None


def cost_scale(weights: Weights) -> CostScale:
    """The exact common denominator of the weights, or a power of two if there is none."""
    w = weights
    full = w.overlap_full_minutes
    terms = [
        w.goal_covered,
        w.mentorship_overlap_scale * w.overlap / full,
        w.mentorship_overlap_scale * w.no_overlap_penalty,
        w.seniority_step,
    ]
    largest = abs(terms[0]) * 64 + abs(terms[1]) * full + abs(terms[2]) + abs(terms[3]) * 64 + 1.0
    exact = [_rational(t) for t in terms]
    if all(f is not None for f in exact):
        denominator = lcm(*(f.denominator for f in exact if f is not None))
        if denominator * largest < MAX_COST:
            goal, minute, penalty, step = (int(f * denominator) for f in exact if f is not None)
            return CostScale(denominator, goal, minute, penalty, step, exact=True)
    denominator = 1 << max(0, int(np.floor(np.log2(MAX_COST / largest))))
    goal, minute, penalty, step = (round(t * denominator) for t in terms)
    return CostScale(denominator, goal, minute, penalty, step, exact=False)


def mentorship_costs(
    table: MemberTable, mentor: IntArray, mentee: IntArray, scale: CostScale, weights: Weights
) -> IntArray:
    """``D * mentorship_score`` of the pairs ``(mentor, mentee)`` (broadcast), as
    integers; 0 where the mentor covers none of the mentee's goals."""
    covered = _shared_count(table.goals[mentee], table.skills[mentor])
    minutes = table.overlap(mentor, mentee)
    full = weights.overlap_full_minutes
    hours = np.where(minutes > 0, scale.minute * np.minimum(minutes, full), -scale.penalty)
    cap = weights.max_seniority_steps
    steps = np.clip(table.seniority[mentor] - table.seniority[mentee], -cap, cap)
    cost: IntArray = np.where(covered > 0, scale.goal * covered + hours + scale.step * steps, 0)
    return cost
