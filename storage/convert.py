"""Rows to records, and records to the engine's ``Member``/``PastGroup`` values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pairing.models import Member, Reason, ReasonKind, Role
from storage import orm
from storage.records import (
    EnrollmentRecord,
    GoalProgress,
    GroupMemberRecord,
    GroupRecord,
    LeftOutRecord,
    MentorshipRecord,
    OutboxRecord,
    PersonRecord,
    ProgramRecord,
    RoundRecord,
    WorkspaceRecord,
)

MAX_MANAGER_CHAIN = 12


def workspace(row: orm.Workspace) -> WorkspaceRecord:
    return WorkspaceRecord(row.id, row.platform, row.external_id, row.name)


def person(row: orm.Person | Any) -> PersonRecord:
    """An ORM person, or a row with the people table's columns."""
    return PersonRecord(
        id=row.id,
        user_id=row.platform_user_id,
        display_name=row.display_name,
        real_name=row.real_name,
        title=row.title,
        department=row.department,
        team=row.team,
        manager_user_id=row.manager_user_id,
        time_zone=row.time_zone,
        work_start=row.work_start,
        work_end=row.work_end,
        seniority=row.seniority,
        is_workspace_admin=row.is_workspace_admin,
        deleted=row.deleted,
    )


def program(row: orm.Program) -> ProgramRecord:
    return ProgramRecord(
        id=row.id,
        name=row.name,
        kind=row.kind,
        schedule=row.schedule,
        timezone=row.timezone,
        channel_id=row.channel_id,
        checkin_after_days=row.checkin_after_days,
        join_via_channel=row.join_via_channel,
        active=row.active,
        source=row.source,
        settings=dict(row.settings or {}),
    )


def enrollment(row: orm.Enrollment) -> EnrollmentRecord:
    return EnrollmentRecord(
        id=row.id,
        program_id=row.program_id,
        person=person(row.person),
        role=Role(row.role),
        interests=tuple(row.interests),
        skills=tuple(row.skills),
        goals=tuple(row.goals),
        capacity=row.capacity,
        preferences=dict(row.preferences),
        paused=row.paused,
        paused_until=row.paused_until,
        missed_checkins=row.missed_checkins,
        joined_at=row.joined_at,
        left_at=row.left_at,
    )


def group(
    row: orm.Group | Any, *, members: tuple[GroupMemberRecord, ...] | None = None
) -> GroupRecord:
    """An ORM group with its members, or a row of the groups table and its ``members``."""
    if members is None:
        members = tuple(GroupMemberRecord(person(m.person), Role(m.role)) for m in row.members)
    return GroupRecord(
        id=row.id,
        round_id=row.round_id,
        position=row.position,
        members=members,
        reasons=tuple(reason_from_json(r) for r in row.reasons),
        score=row.score,
        conversation_id=row.conversation_id,
        outcome=row.outcome,
    )


def round_head(
    row: orm.Round | Any,
    *,
    groups: tuple[GroupRecord, ...] = (),
    left_out: tuple[LeftOutRecord, ...] = (),
) -> RoundRecord:
    """An ORM round or a row of the rounds table; its groups and who was left out are
    given (a head alone has none)."""
    return RoundRecord(
        id=row.id,
        program_id=row.program_id,
        number=row.number,
        seed=row.seed,
        slot=row.slot,
        created_at=row.created_at,
        state=row.state,
        trigger=row.trigger,
        delivered_at=row.delivered_at,
        checkin_at=row.checkin_at,
        notes=tuple(row.notes),
        groups=groups,
        left_out=left_out,
    )


def outbox(row: orm.OutboxMessage) -> OutboxRecord:
    return OutboxRecord(
        id=row.id,
        key=row.idempotency_key,
        kind=row.kind,
        payload=dict(row.payload),
        state=row.state,
        attempts=row.attempts,
        round_id=row.round_id,
        group_id=row.group_id,
        last_error=row.last_error,
        result=dict(row.result or {}),
    )


def reason_to_json(reason: Reason) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": reason.kind.value}
    if reason.items:
        data["items"] = list(reason.items)
    if reason.minutes:
        data["minutes"] = reason.minutes
    if reason.window is not None:
        data["window"] = list(reason.window)
    return data


def reason_from_json(data: Mapping[str, Any]) -> Reason:
    window = data.get("window")
    return Reason(
        kind=ReasonKind(data["kind"]),
        items=tuple(data.get("items", ())),
        minutes=int(data.get("minutes", 0)),
        window=(int(window[0]), int(window[1])) if window else None,
    )


def utc_offset_minutes(time_zone: str, at: datetime) -> int:
    """The zone's offset from UTC at ``at``, in minutes (unknown zones count as UTC)."""
    try:
        offset = at.astimezone(ZoneInfo(time_zone)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return 0
    return int(offset.total_seconds() // 60) if offset is not None else 0


def manager_chain(user_id: str, managers: Mapping[str, str | None]) -> tuple[str, ...]:
    """The reporting line above ``user_id``, nearest first, stopping at cycles."""
    chain: list[str] = []
    current = managers.get(user_id)
    while current and current not in chain and current != user_id:
        chain.append(current)
        if len(chain) >= MAX_MANAGER_CHAIN:
            break
        current = managers.get(current)
    return tuple(chain)


def member(
    record: EnrollmentRecord,
    *,
    at: datetime,
    managers: Mapping[str, str | None],
    default_capacity: int,
) -> Member:
    """The engine's view of an enrolled person on the round's day."""
    who = record.person
    return Member(
        id=who.user_id,
        utc_offset=utc_offset_minutes(who.time_zone, at),
        work_start=who.work_start,
        work_end=who.work_end,
        team=who.team,
        department=who.department,
        managers=manager_chain(who.user_id, managers),
        interests=frozenset(_tags(record.interests)),
        prefers_cross_team=bool(record.preferences.get("prefer_cross_team", False)),
        role=record.role,
        skills=frozenset(_tags(record.skills)),
        goals=frozenset(_tags(record.goals)),
        seniority=who.seniority,
        capacity=record.capacity if record.capacity is not None else default_capacity,
    )


def _tags(values: Iterable[str]) -> Iterable[str]:
    return (value.strip().casefold() for value in values if value.strip())


def mentorship(row: orm.Mentorship) -> MentorshipRecord:
    goals = tuple(
        GoalProgress(str(g["goal"]), str(g.get("progress") or "not_started"))
        for g in row.goals or []
        if isinstance(g, dict) and g.get("goal")
    )
    return MentorshipRecord(
        id=row.id,
        program_id=row.program_id,
        mentor=person(row.mentor),
        mentee=person(row.mentee),
        state=row.state,
        decided_by=row.decided_by,
        goals=goals,
        term=row.term,
        missed_checkins=row.missed_checkins,
        checkins=row.checkins,
        met_since_checkin=row.met_since_checkin,
        next_checkin_at=row.next_checkin_at,
        started_at=row.started_at,
        ends_at=row.ends_at,
        ended_at=row.ended_at,
        ended_by=row.ended_by,
        end_reason=row.end_reason,
        group_id=row.group_id,
        closing=dict(row.closing or {}),
        closing_sent_at=row.closing_sent_at,
    )
