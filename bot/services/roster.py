"""Who can be matched this round: the available enrollments, checked against the platform.

Each person's profile is read again: names, titles and time zones stay fresh in the
introductions, and people the platform no longer knows are dropped from the round (and
recorded) instead of breaking a group conversation later.

Small rounds look people up one by one (``users.info``, 100 a minute). A large round
pages through the directory instead (``users.list``, 200 people a page, 20 pages a
minute): a 1,000-person round is checked in five calls instead of ten minutes of
lookups. The paging stops after as many pages as the one-by-one lookups would have cost
in time; whoever was not seen by then is looked up one by one.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import math
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
DIRECTORY_FROM = 100  # more members than one minute of users.info: page users.list
# users.info allows 100 lookups a minute and users.list 20 pages: one page costs as much
# time as five lookups, so paging may take one page per five members before giving up.
PAGES_PER_LOOKUP = 20 / 100


@dataclass(frozen=True, slots=True)
class Checked:
    """Fresh profiles by user id, and the user ids the platform no longer knows."""

    profiles: dict[str, Profile]
    gone: tuple[str, ...]
    unchecked: tuple[str, ...]  # lookups that kept failing: matched on the stored profile


async def check_people(platform: ChatPlatform, enrollments: Sequence[EnrollmentRecord]) -> Checked:
    """Check everyone (paced by the platform); never fails for one person's sake."""
    wanted = {e.person.user_id for e in enrollments}
    profiles: dict[str, Profile] = {}
    gone: set[str] = set()
    if len(wanted) > DIRECTORY_FROM:
        await _page_directory(platform, wanted, profiles, gone)
    rest = sorted(wanted - profiles.keys() - gone)
    checked = await _look_up_each(platform, rest)
    profiles.update(checked.profiles)
    return Checked(profiles, tuple(sorted(gone | set(checked.gone))), checked.unchecked)


async def _page_directory(
    platform: ChatPlatform, wanted: set[str], profiles: dict[str, Profile], gone: set[str]
) -> None:
    budget = math.ceil(len(wanted) * PAGES_PER_LOOKUP)
    cursor: str | None = None
    for _ in range(budget):
        try:
            page = await platform.list_users(cursor)
        except PlatformError as exc:
            log.warning("could not page the directory (%s); looking people up one by one", exc)
            return
        profiles.update((p.user_id, p) for p in page.profiles if p.user_id in wanted)
        gone.update(user for user in page.gone if user in wanted)
        cursor = page.next_cursor
        if cursor is None:  # the whole directory was read: whoever is missing is gone
            gone.update(wanted - profiles.keys())
            return
        if wanted <= profiles.keys() | gone:
            return


async def _look_up_each(platform: ChatPlatform, user_ids: Sequence[str]) -> Checked:
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

    await asyncio.gather(*(look_up(user_id) for user_id in user_ids))
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
