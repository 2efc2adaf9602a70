"""The pairing engine's vocabulary: plain frozen values, no I/O.

Everything the engine needs arrives in these objects (members, past groups, options,
a seed) and everything it decides leaves in them (a plan). Ids are the platform user
ids the rest of the application uses, so a plan can be stored and delivered as is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    PEER = "peer"
    MENTOR = "mentor"
    MENTEE = "mentee"


class Outcome(StrEnum):
    MET = "met"
    NOT_MET = "not_met"


class ReasonKind(StrEnum):
    SHARED_INTERESTS = "shared_interests"
    CROSS_TEAM = "cross_team"
    OVERLAPPING_HOURS = "overlapping_hours"
    NO_OVERLAP = "no_overlap"
    SKILLS_FOR_GOALS = "skills_for_goals"
    SENIORITY = "seniority"
    MISSED_LAST_TIME = "missed_last_time"
    REPEAT = "repeat"


class UnmatchedReason(StrEnum):
    ALONE = "alone"  # the only member available this round
    NO_CAPACITY = "no_capacity"  # compatible mentors exist but are full
    NO_COMPATIBLE_MENTOR = "no_compatible_mentor"
    NO_MENTEES = "no_mentees"  # a mentor nobody was matched with
    NO_ALLOWED_PARTNER = "no_allowed_partner"  # hard exclusions leave nobody to meet


MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True, slots=True)
class Member:
    """One person available for this round, as the engine sees them.

    ``utc_offset`` is the offset of the person's time zone on the round's day (the
    caller resolves DST); working hours are local minutes since midnight.
    ``managers`` is the reporting line above the person, nearest first.
    """

    id: str
    utc_offset: int = 0
    work_start: int = 9 * 60
    work_end: int = 17 * 60
    team: str | None = None
    department: str | None = None
    managers: tuple[str, ...] = ()
    interests: frozenset[str] = frozenset()
    prefers_cross_team: bool = False
    role: Role = Role.PEER
    skills: frozenset[str] = frozenset()
    goals: frozenset[str] = frozenset()
    seniority: int = 0
    capacity: int = 0


def distinct_members(members: Iterable[Member]) -> list[Member]:
    """The members sorted by id, each once; the same id with different data is refused
    (which copy to keep would depend on the order of the input)."""
    found: dict[str, Member] = {}
    for member in members:
        if found.setdefault(member.id, member) != member:
            raise ValueError(f"member {member.id!r} is given twice with different data")
    return sorted(found.values(), key=lambda m: m.id)


@dataclass(frozen=True, slots=True)
class PastGroup:
    """A group formed in an earlier round. ``round`` orders rounds: larger is later."""

    round: int
    members: frozenset[str]
    outcome: Outcome | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    """Why members were put together, in a form both machines and templates can read.

    ``items`` holds the shared interests or the goals a mentor's skills cover;
    ``window`` is the shared working time in UTC minutes since midnight
    (``end`` may exceed a day when the window wraps past midnight).
    """

    kind: ReasonKind
    items: tuple[str, ...] = ()
    minutes: int = 0
    window: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """Members who meet this round. For mentorship, ``mentor`` names the mentor."""

    members: tuple[str, ...]
    reasons: tuple[Reason, ...] = ()
    score: float = 0.0
    repeat_pairs: int = 0
    mentor: str | None = None


@dataclass(frozen=True, slots=True)
class Unmatched:
    member: str
    reason: UnmatchedReason


@dataclass(frozen=True, slots=True)
class Plan:
    """What the engine decided for one round; ``seed`` replays it exactly."""

    groups: tuple[Group, ...]
    unmatched: tuple[Unmatched, ...] = ()
    seed: int = 0
    repeats: int = 0
    score: float = 0.0
    notes: tuple[str, ...] = field(default=())
    # Mentee chooses: each mentee's best mentors (mentor, mentee), best first, instead of
    # groups the engine decided.
    suggestions: tuple[Group, ...] = field(default=())
