"""View-models: the frozen values services hand to the message builders and the demo.

They live here, below both, so that dependencies flow one way: services import the
builders (to queue messages) and these values; builders import only these values, never
a service. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.schedule import ScheduleError, parse_schedule
from pairing.impact import MentorWaits
from pairing.intake import SkillsGap
from pairing.metrics import ProgramStats
from storage.records import (
    EnrollmentRecord,
    GroupRecord,
    MentorshipRecord,
    PersonRecord,
    ProgramRecord,
)
from storage.repositories import Profile

if TYPE_CHECKING:
    from bot.dashboard.links import DashboardLink


def next_round_at(program: ProgramRecord, now: datetime) -> datetime | None:
    """When the program's schedule fires next after ``now`` (in ``now``'s zone, UTC)."""
    try:
        fire = parse_schedule(program.schedule).next_after(now, ZoneInfo(program.timezone))
    except (ScheduleError, ValueError, KeyError):
        return None
    return fire.astimezone(now.tzinfo)


@dataclass(frozen=True, slots=True)
class GroupHistory:
    members: tuple[str, ...]  # platform user ids, in the group's order
    names: tuple[str, ...]  # display names, same order (for tables)
    outcome: str | None  # "met" | "not_met" | None (nobody answered, or "not yet")


@dataclass(frozen=True, slots=True)
class RoundHistory:
    number: int
    created_at: datetime
    groups: tuple[GroupHistory, ...]
    left_out: tuple[str, ...] = ()  # user ids the round could not place
    delivered: bool = True


@dataclass(frozen=True, slots=True)
class ProgramHistory:
    program: str
    rounds: tuple[RoundHistory, ...]  # oldest first
    mentorships: tuple[dict[str, Any], ...] | None = None  # programs whose matches last

    def to_json(self) -> dict[str, Any]:
        """Exactly the DESIGN.md shape, nothing more."""
        found: dict[str, Any] = {
            "program": self.program,
            "rounds": [
                {
                    "number": r.number,
                    "created_at": r.created_at.isoformat(),
                    "groups": [
                        {"members": list(g.members), "outcome": g.outcome} for g in r.groups
                    ],
                }
                for r in self.rounds
            ],
        }
        if self.mentorships is not None:
            found["mentorships"] = list(self.mentorships)
        return found


@dataclass(frozen=True, slots=True)
class MentorshipFacts:
    """A mentorship program's relationships for leads: counts by state, the closing
    cards in aggregate (never one person's answers), and the skills gap."""

    active: int
    stalled: int  # active, but two check-ins in a row found no meeting
    proposed: int
    completed: int
    ended: int  # ended early
    declined: int  # requests a mentor declined
    waiting: int  # mentees without a mentor
    ratings: int
    average_rating: float | None
    outcomes: tuple[tuple[str, int], ...]  # what came of it, most named first
    continued: int  # terms both chose to continue
    gap: SkillsGap
    waits: MentorWaits  # days from joining to a mentor; how long the waiting have waited
    awaiting_lead: tuple[MentorshipRecord, ...] = ()  # proposals a lead has to decide


@dataclass(frozen=True, slots=True)
class ProgramReport:
    """Headline numbers for a lead (``/mentor stats``, App Home, the demo)."""

    program: ProgramRecord
    stats: ProgramStats  # over every round
    last_round: ProgramStats | None  # the latest round alone (None before the first)
    last_round_number: int | None
    next_round_at: datetime | None  # UTC; None if the schedule cannot be read
    mentorships: MentorshipFacts | None = None  # programs whose matches last a term

    @property
    def participation(self) -> float | None:
        return self.stats.participation


@dataclass(frozen=True, slots=True)
class CurrentMatch:
    """A member's place in the latest round of one program (or why they have none)."""

    program: ProgramRecord
    me: PersonRecord
    round_number: int | None = None
    group: GroupRecord | None = None
    left_out: str | None = None  # the engine's reason when the round could not place them
    mentorships: tuple[MentorshipRecord, ...] = ()  # open ones (active or proposed)

    def partners(self) -> tuple[PersonRecord, ...]:
        if self.group is None:
            return ()
        return tuple(m.person for m in self.group.members if m.person.id != self.me.id)


@dataclass(frozen=True, slots=True)
class Membership:
    program: ProgramRecord
    enrollment: EnrollmentRecord
    match: CurrentMatch


@dataclass(frozen=True, slots=True)
class HomeData:
    profile: Profile
    now: datetime
    memberships: tuple[Membership, ...]
    open_programs: tuple[ProgramRecord, ...]  # active programs the person is not in
    lead: tuple[ProgramReport, ...] | None = None  # None: not a lead
    dashboard: DashboardLink | None = None  # a lead's link to the web dashboard

    @property
    def is_lead(self) -> bool:
        return self.lead is not None


@dataclass(frozen=True, slots=True)
class ProfileView:
    profile: Profile  # from the platform (name, title, time zone)
    person: PersonRecord | None  # None: never signed up
    enrollments: tuple[tuple[ProgramRecord, EnrollmentRecord], ...]
