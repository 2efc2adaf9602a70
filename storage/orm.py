"""Tables (SQLAlchemy 2.x typed ORM). Every row of workspace data carries workspace_id.

Uniqueness the product relies on is enforced here, not in code: one enrollment per
person per program, one round per program per scheduled slot, one outbox row per
idempotency key, one membership per person per group.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import (
    IntPK,
    JSONDict,
    JSONList,
    Name,
    OptionalName,
    OptionalTimestamp,
    PlatformId,
    Seed,
    Timestamp,
    WorkspaceFK,
)


class Base(DeclarativeBase):
    pass


# The Slack adapter's OAuth tables are declared in ``storage.slack_installations``.


class Workspace(Base):
    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[IntPK]
    platform: Mapped[str] = mapped_column(String(16))  # "slack" | "teams"
    external_id: Mapped[PlatformId]
    name: Mapped[Name]
    created_at: Mapped[Timestamp]


class Person(Base):
    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("workspace_id", "platform_user_id"),)

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    platform_user_id: Mapped[PlatformId]
    display_name: Mapped[Name]
    real_name: Mapped[OptionalName]
    title: Mapped[OptionalName]
    department: Mapped[OptionalName]
    team: Mapped[OptionalName]
    manager_user_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    work_start: Mapped[int] = mapped_column(Integer, default=9 * 60)
    work_end: Mapped[int] = mapped_column(Integer, default=17 * 60)
    seniority: Mapped[int] = mapped_column(Integer, default=0)
    is_workspace_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[OptionalTimestamp]
    created_at: Mapped[Timestamp]
    updated_at: Mapped[Timestamp]


class Program(Base):
    __tablename__ = "programs"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))  # a registered kind's name (bot.kinds)
    channel_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    schedule: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    checkin_after_days: Mapped[int] = mapped_column(Integer, default=3)
    join_via_channel: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    settings: Mapped[JSONDict]  # the kind's own settings, e.g. {"group_size": 2}
    source: Mapped[str] = mapped_column(String(16), default="slack")  # "config" | "slack"
    created_at: Mapped[Timestamp]
    updated_at: Mapped[Timestamp]


class Enrollment(Base):
    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("program_id", "person_id"),)

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="peer")  # peer | mentor | mentee
    interests: Mapped[JSONList]
    skills: Mapped[JSONList]  # offered
    goals: Mapped[JSONList]  # wanted
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    preferences: Mapped[JSONDict]
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    paused_until: Mapped[OptionalTimestamp]  # NULL while paused: until `resume`
    missed_checkins: Mapped[int] = mapped_column(Integer, default=0)
    joined_at: Mapped[Timestamp]
    left_at: Mapped[OptionalTimestamp]
    updated_at: Mapped[Timestamp]

    person: Mapped[Person] = relationship(lazy="joined", innerjoin=True)


class Round(Base):
    __tablename__ = "rounds"
    __table_args__ = (
        UniqueConstraint("program_id", "slot"),
        UniqueConstraint("program_id", "number"),
    )

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    seed: Mapped[Seed]
    slot: Mapped[Timestamp]
    trigger: Mapped[str] = mapped_column(String(16), default="manual")  # manual | schedule | join
    state: Mapped[str] = mapped_column(String(16), default="delivering")  # | delivered
    notes: Mapped[JSONList]
    created_at: Mapped[Timestamp]
    delivered_at: Mapped[OptionalTimestamp]
    checkin_at: Mapped[OptionalTimestamp]  # when the check-in was queued

    groups: Mapped[list[Group]] = relationship(
        back_populates="round", order_by="Group.position", lazy="selectin"
    )


class Group(Base):
    __tablename__ = "round_groups"

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[JSONList]
    score: Mapped[float] = mapped_column(Float, default=0.0)
    conversation_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)  # met | not_met
    outcome_at: Mapped[OptionalTimestamp]

    round: Mapped[Round] = relationship(back_populates="groups")
    members: Mapped[list[GroupMember]] = relationship(order_by="GroupMember.id", lazy="selectin")


class GroupMember(Base):
    __tablename__ = "group_members"
    __table_args__ = (UniqueConstraint("group_id", "person_id"),)

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    group_id: Mapped[int] = mapped_column(ForeignKey("round_groups.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="peer")

    person: Mapped[Person] = relationship(lazy="joined", innerjoin=True)


class LeftOut(Base):
    """A member a round could not place (told kindly, first in line next time)."""

    __tablename__ = "round_left_out"
    __table_args__ = (UniqueConstraint("round_id", "person_id"),)

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(32))


class OutboxMessage(Base):
    """One message to send. Claimed, sent and marked so it goes out exactly once."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "state", "not_before"),)

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), nullable=True, index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("round_groups.id", ondelete="CASCADE"), nullable=True
    )
    payload: Mapped[JSONDict]
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    not_before: Mapped[Timestamp]
    claimed_until: Mapped[OptionalTimestamp]
    claimed_by: Mapped[str | None] = mapped_column(String(160), nullable=True)
    result: Mapped[JSONDict]
    created_at: Mapped[Timestamp]
    sent_at: Mapped[OptionalTimestamp]


class CheckinResponse(Base):
    __tablename__ = "checkin_responses"
    __table_args__ = (UniqueConstraint("group_id", "person_id"),)

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    group_id: Mapped[int] = mapped_column(ForeignKey("round_groups.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    answer: Mapped[str] = mapped_column(String(16))  # met | not_yet | could_not
    answered_at: Mapped[Timestamp]


class MeetingFeedback(Base):
    """What one person said came of a meeting, and whether it was worth it (1–5).

    Optional, one row per person per group (a second click changes the answer). Only
    ever read as totals: never shown by name, no breakdown over fewer than five."""

    __tablename__ = "meeting_feedback"
    __table_args__ = (UniqueConstraint("group_id", "person_id"),)

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    group_id: Mapped[int] = mapped_column(ForeignKey("round_groups.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    came_of: Mapped[str | None] = mapped_column(String(16), nullable=True)  # pairing.impact.CameOf
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)  # "worth it?" 1–5
    answered_at: Mapped[Timestamp]


class AuditEntry(Base):
    """Lead actions and data deletions, for accountability."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_created", "workspace_id", "created_at"),)

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(200), nullable=True)
    details: Mapped[JSONDict]
    created_at: Mapped[Timestamp]


class WorkspaceRoute(Base):
    """Where a platform reaches something of a workspace, remembered across restarts:
    e.g. Teams' Bot Connector address of a tenant (``service_url``), or where a person's
    home card is (``home``, keyed by user id). Values are the adapter's own JSON."""

    __tablename__ = "workspace_routes"
    __table_args__ = (UniqueConstraint("workspace_id", "kind", "key"),)

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(200))
    value: Mapped[JSONDict]
    updated_at: Mapped[Timestamp]


class Mentorship(Base):
    """A mentor and a mentee over a term: proposed → active → completed, or ended early.

    ``goals`` is the mentee's goals with their progress (``[{"goal", "progress"}]``);
    ``closing`` holds each side's end-of-term answers (shown to leads only in aggregate).
    A mentor's capacity counts their ``active`` (and ``proposed``) rows.
    """

    __tablename__ = "mentorships"
    __table_args__ = (Index("ix_mentorships_program_state", "program_id", "state"),)

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("round_groups.id", ondelete="SET NULL"), nullable=True
    )
    state: Mapped[str] = mapped_column(String(16), default="active")
    decided_by: Mapped[str] = mapped_column(String(16), default="engine")  # | mentee | lead
    goals: Mapped[JSONList]
    term: Mapped[int] = mapped_column(Integer, default=1)  # 2 after one "continue"
    missed_checkins: Mapped[int] = mapped_column(Integer, default=0)  # in a row
    checkins: Mapped[int] = mapped_column(Integer, default=0)  # asked so far
    met_since_checkin: Mapped[bool] = mapped_column(Boolean, default=False)
    next_checkin_at: Mapped[OptionalTimestamp]
    closing: Mapped[JSONDict]
    closing_sent_at: Mapped[OptionalTimestamp]
    started_at: Mapped[OptionalTimestamp]
    ends_at: Mapped[OptionalTimestamp]
    ended_at: Mapped[OptionalTimestamp]
    ended_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    end_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[Timestamp]
    updated_at: Mapped[Timestamp]

    mentor: Mapped[Person] = relationship(foreign_keys=[mentor_id], lazy="joined", innerjoin=True)
    mentee: Mapped[Person] = relationship(foreign_keys=[mentee_id], lazy="joined", innerjoin=True)
