"""What the repositories hand out: frozen values, never live ORM rows.

The engine's own inputs (``pairing.models.Member``/``PastGroup``) are built from these
by ``storage.convert``; services read these to render messages and views.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pairing.models import Reason, Role


@dataclass(frozen=True, slots=True)
class WorkspaceRecord:
    id: int
    platform: str
    external_id: str
    name: str


@dataclass(frozen=True, slots=True)
class PersonRecord:
    id: int
    user_id: str
    display_name: str
    real_name: str | None = None
    title: str | None = None
    department: str | None = None
    team: str | None = None
    manager_user_id: str | None = None
    time_zone: str = "UTC"
    work_start: int = 9 * 60
    work_end: int = 17 * 60
    seniority: int = 0
    is_workspace_admin: bool = False
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class ProgramRecord:
    """A program. ``kind`` names a registered kind (``bot.kinds``), kept as text so a
    program of a kind this version does not know still lists; ``settings`` holds the
    kind's own settings as stored (JSON), read through each setting's declaration."""

    id: int
    name: str
    kind: str
    schedule: str
    timezone: str = "UTC"
    channel_id: str | None = None
    checkin_after_days: int = 3
    join_via_channel: bool = False
    active: bool = True
    source: str = "slack"
    settings: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class EnrollmentRecord:
    id: int
    program_id: int
    person: PersonRecord
    role: Role = Role.PEER
    interests: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    capacity: int | None = None
    preferences: dict[str, Any] = field(default_factory=dict)
    paused: bool = False
    paused_until: datetime | None = None
    missed_checkins: int = 0
    joined_at: datetime | None = None
    left_at: datetime | None = None

    def is_active(self, now: datetime) -> bool:
        """Enrolled and not paused at ``now`` (a timed pause ends by itself)."""
        if self.left_at is not None:
            return False
        if not self.paused:
            return True
        return self.paused_until is not None and self.paused_until <= now


@dataclass(frozen=True, slots=True)
class GroupMemberRecord:
    person: PersonRecord
    role: Role = Role.PEER


@dataclass(frozen=True, slots=True)
class GroupRecord:
    id: int
    round_id: int
    position: int
    members: tuple[GroupMemberRecord, ...]
    reasons: tuple[Reason, ...] = ()
    score: float = 0.0
    conversation_id: str | None = None
    outcome: str | None = None

    @property
    def user_ids(self) -> tuple[str, ...]:
        return tuple(member.person.user_id for member in self.members)


@dataclass(frozen=True, slots=True)
class LeftOutRecord:
    person: PersonRecord
    reason: str


@dataclass(frozen=True, slots=True)
class RoundRecord:
    id: int
    program_id: int
    number: int
    seed: int
    slot: datetime
    created_at: datetime
    state: str = "delivering"
    trigger: str = "manual"
    delivered_at: datetime | None = None
    checkin_at: datetime | None = None
    notes: tuple[str, ...] = ()
    groups: tuple[GroupRecord, ...] = ()
    left_out: tuple[LeftOutRecord, ...] = ()

    @property
    def delivered(self) -> bool:
        return self.state == "delivered"


@dataclass(frozen=True, slots=True)
class OutboxRecord:
    id: int
    key: str
    kind: str
    payload: dict[str, Any]
    state: str
    attempts: int
    round_id: int | None = None
    group_id: int | None = None
    last_error: str | None = None
    result: dict[str, Any] = field(default_factory=dict)


PROGRESS = ("not_started", "under_way", "achieved")  # a goal's progress, in order
OPEN_STATES = ("proposed", "active")  # a mentorship that holds a mentor's place
STALLED_AFTER = 2  # missed check-ins in a row


@dataclass(frozen=True, slots=True)
class GoalProgress:
    goal: str
    progress: str = "not_started"  # one of PROGRESS


@dataclass(frozen=True, slots=True)
class MentorshipRecord:
    """A mentor and a mentee over a term (``storage.orm.Mentorship``)."""

    id: int
    program_id: int
    mentor: PersonRecord
    mentee: PersonRecord
    state: str  # proposed | active | completed | ended
    decided_by: str  # engine | mentee | lead
    goals: tuple[GoalProgress, ...] = ()
    term: int = 1
    missed_checkins: int = 0
    checkins: int = 0
    met_since_checkin: bool = False
    next_checkin_at: datetime | None = None
    started_at: datetime | None = None
    ends_at: datetime | None = None
    ended_at: datetime | None = None
    ended_by: str | None = None
    end_reason: str | None = None
    group_id: int | None = None
    closing: Mapping[str, Any] = field(default_factory=dict, hash=False)
    closing_sent_at: datetime | None = None

    @property
    def open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def stalled(self) -> bool:
        """Active, but the last two check-ins (or more) in a row found no meeting."""
        return self.state == "active" and self.missed_checkins >= STALLED_AFTER

    def side(self, user_id: str) -> str | None:
        """ "mentor" or "mentee" when ``user_id`` is one of the two, else None."""
        if user_id == self.mentor.user_id:
            return "mentor"
        return "mentee" if user_id == self.mentee.user_id else None

    def other(self, user_id: str) -> PersonRecord:
        return self.mentee if user_id == self.mentor.user_id else self.mentor
