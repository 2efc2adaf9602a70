"""Who can be matched this round: the available enrollments, checked against the platform.

Each person's profile is read again (``users.info``): names, titles and time zones stay
fresh in the introductions, and people the platform no longer knows are dropped from the
round (and recorded) instead of breaking a group conversation later.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.errors import UnknownUser
from bot.platform import ChatPlatform, PlatformError
from storage.records import EnrollmentRecord
from storage.repositories import Profile
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
CONCURRENT_LOOKUPS = 16


@dataclass(frozen=True, slots=True)
class Checked:
    """Fresh profiles by user id, and the user ids the platform no longer knows."""

    profiles: dict[str, Profile]
    gone: tuple[str, ...]
    unchecked: tuple[str, ...]  # lookups that kept failing: matched on the stored profile


async def check_people(platform: ChatPlatform, enrollments: Sequence[EnrollmentRecord]) -> Checked:
    """Look everyone up (paced by the platform); never fails for one person's sake."""
    gate = asyncio.Semaphore(CONCURRENT_LOOKUPS)
    profiles: dict[str, Profile] = {}
    gone: list[str] = []
    unchecked: list[str] = []

    async def look_up(user_id: str) -> None:
        async with gate:
            try:
                profiles[user_id] = await platform.user_profile(user_id)
            except UnknownUser:
                gone.append(user_id)
            except PlatformError as exc:
                log.warning("could not refresh %s (%s); using the stored profile", user_id, exc)
                unchecked.append(user_id)

    await asyncio.gather(*(look_up(e.person.user_id) for e in enrollments))
    return Checked(profiles, tuple(sorted(gone)), tuple(sorted(unchecked)))


async def refresh(
    uow: UnitOfWork,
    enrollments: Sequence[EnrollmentRecord],
    profiles: Mapping[str, Profile],
    gone: Sequence[str],
    now: datetime,
) -> list[EnrollmentRecord]:
    """Store fresh profiles; mark and audit people who are gone; return who remains."""
    remaining: list[EnrollmentRecord] = []
    for enrollment in enrollments:
        user_id = enrollment.person.user_id
        if user_id in gone:
            await uow.people.mark_gone(enrollment.person.id, now=now)
            await uow.audit.add(
                actor="mentorbot",
                action="dropped_unknown_user",
                target=user_id,
                details={"program_id": enrollment.program_id},
                now=now,
            )
            continue
        profile = profiles.get(user_id)
        if profile is not None:
            person = await uow.people.upsert(profile, now=now)
            enrollment = dataclasses.replace(enrollment, person=person)
        remaining.append(enrollment)
    return remaining
