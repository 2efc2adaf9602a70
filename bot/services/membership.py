"""Self-service for members: pause, resume, leave (and erase), and "who is my match?".

Each use case first asks the platform who the person is, so someone the platform no
longer knows gets ``UnknownUser`` and nothing changes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.errors import NotEnrolled, UnknownProgram
from bot.services.scope import Scope
from bot.viewmodels import CurrentMatch
from storage.records import EnrollmentRecord, PersonRecord, ProgramRecord
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Paused:
    programs: tuple[ProgramRecord, ...]
    until: datetime | None  # None: until they resume
    time_zone: str


@dataclass(frozen=True, slots=True)
class Left:
    programs: tuple[ProgramRecord, ...]
    erased: bool  # no programs remain, so the person's profile was anonymised


async def pause(
    scope: Scope, user_id: str, weeks: int | None, *, program_id: int | None = None
) -> Paused:
    """Pause every program (or one); ``weeks=None`` pauses until ``resume``."""
    await scope.platform.user_profile(user_id)
    now = scope.clock()
    until = now + timedelta(weeks=weeks) if weeks else None
    async with scope.unit() as uow:
        person, chosen = await _enrolled(uow, user_id, program_id)
        for enrollment, _ in chosen:
            await uow.enrollments.pause(enrollment.id, until=until, now=now)
        await uow.commit()
    return Paused(tuple(p for _, p in chosen), until, person.time_zone)


async def resume(
    scope: Scope, user_id: str, *, program_id: int | None = None
) -> tuple[ProgramRecord, ...]:
    await scope.platform.user_profile(user_id)
    now = scope.clock()
    async with scope.unit() as uow:
        _, chosen = await _enrolled(uow, user_id, program_id)
        for enrollment, _ in chosen:
            await uow.enrollments.resume(enrollment.id, now=now)
        await uow.commit()
    return tuple(p for _, p in chosen)


async def leaving(
    scope: Scope, user_id: str, program_name: str | None = None
) -> tuple[ProgramRecord, ...]:
    """The programs ``leave`` would take the person out of (for the confirmation)."""
    await scope.platform.user_profile(user_id)
    async with scope.unit(read_only=True) as uow:
        program_id = await _program_id(uow, program_name)
        _, chosen = await _enrolled(uow, user_id, program_id)
    return tuple(p for _, p in chosen)


async def leave(scope: Scope, user_id: str, *, program_id: int | None = None) -> Left:
    """Out of future rounds and the answers they gave erased; with no program left, the
    person is anonymised too (past groups stay in history, pointing at "Former member").
    """
    now = scope.clock()
    async with scope.unit() as uow:
        person, chosen = await _enrolled(uow, user_id, program_id)
        for enrollment, _ in chosen:
            await uow.enrollments.leave(enrollment.id, now=now)
        remaining = await uow.enrollments.for_person(person.id)
        erased = not remaining
        if erased:
            await uow.people.anonymise(person.id, now=now)
            await uow.outbox.forget_user(user_id, replacement=f"former-{person.id}")
        await uow.audit.add(
            actor=f"person:{person.id}",
            action="member.left",
            now=now,
            target=", ".join(p.name for _, p in chosen),
            details={"programs": [p.id for _, p in chosen], "erased": erased},
        )
        await uow.commit()
    log.info("person %s left %d program(s); erased=%s", person.id, len(chosen), erased)
    return Left(tuple(p for _, p in chosen), erased)


async def current_matches(scope: Scope, user_id: str) -> list[CurrentMatch]:
    """For each program the person is in: their group in the latest round, and why."""
    await scope.platform.user_profile(user_id)
    async with scope.unit(read_only=True) as uow:
        person, chosen = await _enrolled(uow, user_id, None)
        return [await match_in(uow, person, program) for _, program in chosen]


async def match_in(uow: UnitOfWork, person: PersonRecord, program: ProgramRecord) -> CurrentMatch:
    """``person``'s place in ``program``'s latest round (the home tab shows it too), and
    their open mentorships in it."""
    mentorships = tuple(
        m
        for m in await uow.mentorships.for_person(person.id, states=("active", "proposed"))
        if m.program_id == program.id
    )
    if mentorships:
        return CurrentMatch(program, person, mentorships=mentorships)
    latest = await uow.rounds.latest_head(program.id)  # not every group of the round
    if latest is None:
        return CurrentMatch(program, person)
    group, reason = await uow.rounds.place_of(latest.id, person.id)
    return CurrentMatch(program, person, latest.number, group, left_out=reason)


async def _enrolled(
    uow: UnitOfWork, user_id: str, program_id: int | None
) -> tuple[PersonRecord, list[tuple[EnrollmentRecord, ProgramRecord]]]:
    person = await uow.people.by_user_id(user_id)
    if person is None:
        raise NotEnrolled()
    programs = {p.id: p for p in await uow.programs.all()}
    chosen = [
        (e, programs[e.program_id])
        for e in await uow.enrollments.for_person(person.id)
        if e.program_id in programs and (program_id is None or e.program_id == program_id)
    ]
    if not chosen:
        raise NotEnrolled(programs[program_id].name if program_id in programs else None)
    return person, chosen


async def _program_id(uow: UnitOfWork, name: str | None) -> int | None:
    if not name:
        return None
    program = await uow.programs.by_name(name)
    if program is None:
        raise UnknownProgram(name)
    return program.id
