"""Knobs of the pairing engine: score weights and per-kind round options.

All are frozen dataclasses with defaults that suit a typical company program, so the
caller only names what it wants to change. Validation happens at construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MIN_GROUP_SIZE = 2
MAX_GROUP_SIZE = 8


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights of the soft score terms (see :mod:`pairing.scoring` for the formulas).

    Coffee terms: ``overlap`` is earned in full once two people share
    ``overlap_full_minutes`` of working time (linearly below that);
    ``no_overlap_penalty`` is subtracted when they share none; ``shared_interest`` per
    shared interest, at most ``max_shared_interests`` of them; ``cross_team`` for any
    pair from two different teams; ``prefers_cross_team`` once more for each of the two
    who asked to meet outside their team and does; ``missed_last_time`` for a pair
    re-offered because their last meeting did not happen.

    Mentorship terms: ``goal_covered`` per mentee goal that the mentor's skills cover;
    ``seniority_step`` per level the mentor is above the mentee (at most
    ``max_seniority_steps``); the overlap terms as above but scaled by
    ``mentorship_overlap_scale``.
    """

    overlap: float = 2.0
    overlap_full_minutes: int = 240
    no_overlap_penalty: float = 6.0
    shared_interest: float = 1.0
    max_shared_interests: int = 3
    cross_team: float = 0.5
    prefers_cross_team: float = 1.5
    missed_last_time: float = 1.0
    goal_covered: float = 10.0
    seniority_step: float = 1.0
    max_seniority_steps: int = 3
    mentorship_overlap_scale: float = 1.0

    def __post_init__(self) -> None:
        if self.overlap_full_minutes <= 0:
            raise ValueError("overlap_full_minutes must be positive")
        if self.max_shared_interests < 0 or self.max_seniority_steps < 0:
            raise ValueError("caps must not be negative")


@dataclass(frozen=True, slots=True)
class CoffeeOptions:
    """Options of a coffee round.

    ``group_size`` is the usual group size (2..8); leftovers join groups of
    ``group_size + 1``. ``exclude_reporting_line`` (hard) never groups someone with a
    person in their ``managers`` chain. ``reoffer_missed`` (soft) treats a pair whose
    last meeting had the outcome NOT_MET as not having met, and gives it a bonus.
    """

    group_size: int = 2
    weights: Weights = field(default_factory=Weights)
    exclude_reporting_line: bool = True
    reoffer_missed: bool = False

    def __post_init__(self) -> None:
        if not MIN_GROUP_SIZE <= self.group_size <= MAX_GROUP_SIZE:
            raise ValueError(f"group_size must be {MIN_GROUP_SIZE}..{MAX_GROUP_SIZE}")


@dataclass(frozen=True, slots=True)
class MentorshipOptions:
    """Options of a mentorship round.

    Hard exclusions: the reporting line (``exclude_reporting_line``), pairs that were
    matched before (``exclude_previous_pairs``) and, if ``avoid_same_team``, mentor and
    mentee from the same team. Only compatible pairs are matched: the mentor's skills
    cover at least one of the mentee's goals and the pair scores above zero.
    """

    weights: Weights = field(default_factory=Weights)
    exclude_reporting_line: bool = True
    exclude_previous_pairs: bool = True
    avoid_same_team: bool = False
