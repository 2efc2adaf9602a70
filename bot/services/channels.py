"""Programs people join by joining a channel (a per-program setting).

Joining the channel enrolls the person with default answers (they are welcomed and
asked to complete their profile); leaving it pauses them until they come back. The
welcome goes through the delivery outbox, in the enrollment's transaction: it is sent
exactly once, and a connection dropped while posting it is retried, not lost.
"""

from __future__ import annotations

import logging

from bot.builders import replies
from bot.delivery.sender import to_people
from bot.kinds import KINDS
from bot.services.scope import Scope
from storage.records import ProgramRecord
from storage.repositories.enrollments import EnrollmentForm

log = logging.getLogger(__name__)


async def channel_programs(scope: Scope, channel_id: str) -> list[ProgramRecord]:
    async with scope.unit(read_only=True) as uow:
        return [p for p in await uow.programs.by_channel(channel_id) if p.join_via_channel]


async def joined_channel(
    scope: Scope, user_id: str, channel_id: str, *, welcome_key: str | None = None
) -> list[ProgramRecord]:
    """Enroll (or resume) ``user_id`` in the channel's programs; those newly joined.

    With ``welcome_key``, a welcome to the newly joined programs is queued under it.
    """
    programs = await channel_programs(scope, channel_id)
    if not programs:
        return []
    profile = await scope.platform.user_profile(user_id)
    now = scope.clock()
    joined: list[ProgramRecord] = []
    async with scope.unit() as uow:
        person = await uow.people.upsert(profile, now=now)
        for program in programs:
            existing = await uow.enrollments.get(program.id, person.id)
            if existing is not None and existing.left_at is None:
                if existing.paused:
                    await uow.enrollments.resume(existing.id, now=now)
                continue
            policy = KINDS.get(program.kind)
            if policy is None:  # of a kind this version does not know: nobody joins by accident
                continue
            role = policy.joining_role()
            await uow.enrollments.save(program.id, person.id, EnrollmentForm(role=role), now=now)
            joined.append(program)
        if joined and welcome_key is not None:
            await uow.outbox.add(
                key=welcome_key,
                kind="welcome",
                payload=to_people([user_id], replies.welcome(joined)),
                now=now,
            )
        await uow.commit()
    log.info("%s joined %s: enrolled in %d program(s)", user_id, channel_id, len(joined))
    return joined


async def left_channel(scope: Scope, user_id: str, channel_id: str) -> list[ProgramRecord]:
    """Pause ``user_id`` (until they resume or rejoin) in the channel's programs."""
    programs = await channel_programs(scope, channel_id)
    if not programs:
        return []
    now = scope.clock()
    paused: list[ProgramRecord] = []
    async with scope.unit() as uow:
        person = await uow.people.by_user_id(user_id)
        if person is None:
            return []
        for program in programs:
            existing = await uow.enrollments.get(program.id, person.id)
            if existing is not None and existing.left_at is None and not existing.paused:
                await uow.enrollments.pause(existing.id, until=None, now=now)
                paused.append(program)
        await uow.commit()
    return paused
