"""Asking the engine for a plan, and storing the plan as a round.

The engine is pure: members (with the reporting line and each person's UTC offset on the
round's day), past groups with their outcomes, options and a seed go in; a plan comes
out. The program's kind (``bot.kinds``) says which planner runs and with which options
(coffee, for one, gives whoever was left out last time priority).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Literal

from bot.builders import mentorship as mentorship_build
from bot.delivery import keys
from bot.delivery.sender import to_people
from bot.kinds import KINDS
from pairing.intake import Relationships
from pairing.models import Group, Member, PastGroup, Plan, Role
from storage import convert
from storage.records import EnrollmentRecord, ProgramRecord, RoundRecord
from storage.repositories import NewMentorship
from storage.repositories.rounds import NewGroup
from storage.uow import UnitOfWork

Trigger = Literal["manual", "schedule", "join"]  # join: matched as they joined (``on_join``)


async def plan(
    uow: UnitOfWork,
    program: ProgramRecord,
    enrollments: Sequence[EnrollmentRecord],
    history: Sequence[PastGroup],
    seed: int,
    priority: frozenset[str],
    now: datetime,
) -> Plan:
    kind = KINDS.of(program)
    managers = await uow.people.managers()
    capacity = kind.default_capacity(program)
    members: list[Member] = [
        convert.member(e, at=now, managers=managers, default_capacity=capacity) for e in enrollments
    ]
    relationships = None
    if kind.term(program) is not None:
        relationships = await _relationships(uow, program, enrollments, now)
    # The engine is CPU-bound (a second or two for 10,000 people): off the event loop, so
    # the web process keeps answering Slack within its 3 seconds meanwhile.
    planner = partial(
        kind.plan,
        program,
        members,
        history,
        seed=seed,
        priority=priority,
        relationships=relationships,
    )
    return await asyncio.to_thread(planner)


async def _relationships(
    uow: UnitOfWork,
    program: ProgramRecord,
    enrollments: Sequence[EnrollmentRecord],
    now: datetime,
) -> Relationships:
    """The program's mentorships as the engine needs them: who has a mentor now, who
    had whom before, and how long each mentee has been waiting (since they joined or
    their last mentorship ended)."""
    mentorships = await uow.mentorships.for_program(program.id)
    ended: dict[str, datetime] = {}
    for m in mentorships:
        if not m.open and m.ended_at is not None:
            who = m.mentee.user_id
            ended[who] = max(ended.get(who, m.ended_at), m.ended_at)
    waiting = {}
    for e in enrollments:
        if e.role is Role.MENTEE:
            since = ended.get(e.person.user_id) or e.joined_at or now
            if e.joined_at is not None:
                since = max(since, e.joined_at)
            waiting[e.person.user_id] = max(0, (now - since).days)
    return Relationships(
        open=tuple((m.mentor.user_id, m.mentee.user_id) for m in mentorships if m.open),
        former=tuple((m.mentor.user_id, m.mentee.user_id) for m in mentorships if not m.open),
        waiting=waiting,
    )


async def store(
    uow: UnitOfWork,
    program: ProgramRecord,
    plan: Plan,
    enrollments: Sequence[EnrollmentRecord],
    gone: Sequence[str],
    trigger: Trigger,
    slot: datetime | None,
    now: datetime,
) -> RoundRecord:
    kind = KINDS.of(program)
    by_user = {e.person.user_id: e for e in enrollments}
    groups = []
    for group in plan.groups:
        ordered = sorted(group.members, key=lambda u: u != group.mentor)  # mentor first
        groups.append(
            NewGroup(
                members=[
                    (by_user[u].person.id, kind.role_in_group(u, group.mentor)) for u in ordered
                ],
                reasons=group.reasons,
                score=group.score,
            )
        )
    notes = list(plan.notes) + [f"no longer in the workspace: {u}" for u in gone]
    stored = await uow.rounds.create(
        program_id=program.id,
        seed=plan.seed,
        slot=slot or now,
        trigger=trigger,
        groups=groups,
        left_out=[(by_user[u.member].person.id, u.reason.value) for u in plan.unmatched],
        notes=notes,
        now=now,
    )
    term = kind.term(program)
    if plan.suggestions and term is not None and term.match_mode == "lead_decides":
        await _propose(uow, program, stored, plan.suggestions, by_user, now)
    elif plan.suggestions:
        await _queue_suggestions(uow, program, stored, plan.suggestions, by_user, now)
    if term is not None:
        await _start_mentorships(
            uow, program, stored, by_user, term.weeks, term.checkin_every_weeks, now
        )
    return stored


async def _start_mentorships(
    uow: UnitOfWork,
    program: ProgramRecord,
    stored: RoundRecord,
    by_user: dict[str, EnrollmentRecord],
    weeks: int,
    checkin_every_weeks: int,
    now: datetime,
) -> None:
    """Each mentor/mentee pair the engine matched starts a term now."""
    for group in stored.groups:
        roles = {m.role: m.person for m in group.members}
        mentor, mentee = roles.get(Role.MENTOR), roles.get(Role.MENTEE)
        if mentor is None or mentee is None:
            continue
        await uow.mentorships.create(
            NewMentorship(
                program_id=program.id,
                mentor_id=mentor.id,
                mentee_id=mentee.id,
                state="active",
                decided_by="engine",
                goals=by_user[mentee.user_id].goals,
                started_at=now,
                ends_at=now + timedelta(weeks=weeks),
                next_checkin_at=now + timedelta(weeks=checkin_every_weeks),
                group_id=group.id,
            ),
            now=now,
        )


async def suggestions_for(
    uow: UnitOfWork, program: ProgramRecord, user_id: str, now: datetime
) -> list[mentorship_build.Suggestion]:
    """``user_id``'s best mentors to choose from now (free places, never a former one)."""
    kind = KINDS.of(program)
    enrollments = await uow.enrollments.available(program.id, now=now)
    by_user = {e.person.user_id: e for e in enrollments}
    if user_id not in by_user:
        return []
    managers = await uow.people.managers()
    capacity = kind.default_capacity(program)
    members = [
        convert.member(e, at=now, managers=managers, default_capacity=capacity) for e in enrollments
    ]
    history = await uow.rounds.history(program.id)
    relationships = await _relationships(uow, program, enrollments, now)
    found = await asyncio.to_thread(
        partial(kind.suggest, program, members, history, relationships, user_id)
    )
    return [_suggestion(g, by_user) for g in found]


def _suggestion(group: Group, by_user: dict[str, EnrollmentRecord]) -> mentorship_build.Suggestion:
    mentor, mentee = by_user[group.members[0]], by_user[group.members[1]]
    return mentorship_build.Suggestion(mentor.person, mentee.person, group.reasons, mentor.skills)


async def _propose(
    uow: UnitOfWork,
    program: ProgramRecord,
    stored: RoundRecord,
    found: Sequence[Group],
    by_user: dict[str, EnrollmentRecord],
    now: datetime,
) -> None:
    """A lead decides: each proposed pair waits (holding the mentor's place) for a lead
    to confirm it (``/mentor stats``, the dashboard)."""
    for group in found:
        mentor, mentee = by_user[group.members[0]], by_user[group.members[1]]
        await uow.mentorships.create(
            NewMentorship(
                program_id=program.id,
                mentor_id=mentor.person.id,
                mentee_id=mentee.person.id,
                state="proposed",
                decided_by="lead",
                goals=mentee.goals,
            ),
            now=now,
        )


async def _queue_suggestions(
    uow: UnitOfWork,
    program: ProgramRecord,
    stored: RoundRecord,
    found: Sequence[Group],
    by_user: dict[str, EnrollmentRecord],
    now: datetime,
) -> None:
    """Mentee chooses: each mentee's suggestions, in a direct message."""
    by_mentee: dict[str, list[mentorship_build.Suggestion]] = {}
    for group in found:
        by_mentee.setdefault(group.members[1], []).append(_suggestion(group, by_user))
    for mentee, suggestions in by_mentee.items():
        message = mentorship_build.suggestions(suggestions, program=program, day=now)
        await uow.outbox.add(
            key=keys.suggestions(stored.id, mentee),
            kind="m_suggest",
            payload=to_people([mentee], message),
            now=now,
            round_id=stored.id,
        )
