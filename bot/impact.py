"""The impact report a lead reads (``mentorbot impact``, ``/mentor stats``, the dashboard,
the monthly digest): the network measures of :mod:`pairing.impact` over a program's
rounds, what people said came of meeting, and how fast newcomers got in.

Feedback is only ever shown as totals, and no breakdown over fewer than
``MIN_ANSWERS`` answers: below that, only how many answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pairing.impact import (
    MIN_ANSWERS,
    Dimension,
    Integration,
    NetworkImpact,
    Outcomes,
    TrendPoint,
    spread,
)

__all__ = ["MIN_ANSWERS", "ImpactReport", "OutcomeCounts"]


@dataclass(frozen=True, slots=True)
class OutcomeCounts:
    """Outcome counts from another source than the coffee follow-up — e.g. mentorship
    feedback — by dimension (``career``, ``skills``, ``relationships``,
    ``organisation``), and how many answers they come from. Passed to
    ``bot.services.impact.program_impact(..., extra=...)``."""

    by_dimension: dict[str, int]
    answers: int


@dataclass(frozen=True, slots=True)
class ImpactReport:
    program: str
    generated_at: datetime
    network: NetworkImpact
    outcomes: Outcomes
    integration: tuple[Integration, ...]
    names: dict[str, str]  # user id → display name (for the lists of people to look after)
    rounds: int
    round_dates: dict[int, datetime] = field(default_factory=dict)  # round → introduced

    def before(self, moment: datetime) -> TrendPoint | None:
        """The measures as they stood after the last round introduced before ``moment``."""
        earlier = [p for p in self.network.trend if self.round_dates.get(p.round, moment) < moment]
        return earlier[-1] if earlier else None

    @property
    def newcomer_days_to_first_meeting(self) -> float | None:
        """Median days from joining to the first meeting, over those who have met."""
        days = [i.days_to_first_meeting for i in self.integration]
        return spread([d for d in days if d is not None]).median

    @property
    def newcomer_days_to_first_cross_team_tie(self) -> float | None:
        days = [i.days_to_first_cross_team_tie for i in self.integration]
        return spread([d for d in days if d is not None]).median

    @property
    def not_met_yet(self) -> tuple[Integration, ...]:
        """Enrolled people who have not had a meeting yet, longest waiting first."""
        waiting = [i for i in self.integration if i.days_to_first_meeting is None]
        return tuple(sorted(waiting, key=lambda i: (i.joined, i.person)))

    def name(self, user_id: str) -> str:
        return self.names.get(user_id, user_id)

    def outcome_counts(self) -> dict[str, int] | None:
        """Counts by dimension, or None while fewer than ``MIN_ANSWERS`` answered."""
        if not self.outcomes.shown:
            return None
        return {d.value: self.outcomes.by_dimension[d] for d in Dimension}

    def to_json(self) -> dict[str, Any]:
        """The shape of ``mentorbot impact --format json`` (README, "Impact")."""
        net = self.network
        spread_ = net.reach_spread
        return {
            "program": self.program,
            "generated_at": self.generated_at.isoformat(),
            "rounds": self.rounds,
            "people": len(net.people),
            "ties": net.ties,
            "ei_index": _round(net.ei_index),
            "ei_index_random": _round(net.ei_index_random),
            "ei_index_company_start": _round(net.ei_company_start),
            "ei_index_company": _round(net.ei_company),
            "ei_by_team": {t: _round(v) for t, v in net.ei_by_team.items()},
            "ei_by_team_random": {t: _round(v) for t, v in net.ei_by_team_random.items()},
            "teams": list(net.teams),
            "team_ties": [[a, b, n] for (a, b), n in net.team_ties.items()],
            "bridges": [[a, b] for a, b in net.bridges],
            "reach": {"median": spread_.median, "p10": spread_.p10, "p90": spread_.p90},
            "isolated": list(net.isolated),
            "newcomer_days_to_first_meeting": self.newcomer_days_to_first_meeting,
            "newcomer_days_to_first_cross_team_tie": self.newcomer_days_to_first_cross_team_tie,
            "outcomes": self.outcome_counts(),
            "outcomes_nothing_much": self.outcomes.nothing if self.outcomes.shown else None,
            "answers": self.outcomes.answers,
            "worth_it": _round(self.outcomes.mean_rating) if self.outcomes.rating_shown else None,
            "ratings": self.outcomes.ratings,
            "min_answers_shown": MIN_ANSWERS,
            "trend": [
                {
                    "round": p.round,
                    "ei_round": _round(p.ei_round),
                    "ei_round_random": _round(p.ei_round_random),
                    "ei_cumulative": _round(p.ei_cumulative),
                    "ei_cumulative_random": _round(p.ei_cumulative_random),
                    "ties": p.ties,
                    "cross_team_ties": p.cross_team_ties,
                    "meeting_rate": _round(p.meeting_rate),
                    "reach_median": p.reach_median,
                    "ei_company": _round(p.ei_company),
                }
                for p in net.trend
            ],
        }


def _round(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None
