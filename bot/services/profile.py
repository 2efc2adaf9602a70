"""``/mentor profile``: what mentorbot keeps about a person, read fresh from the platform."""

from __future__ import annotations

from bot.services.scope import Scope
from bot.viewmodels import ProfileView


async def my_profile(scope: Scope, user_id: str) -> ProfileView:
    profile = await scope.platform.user_profile(user_id)
    async with scope.unit(read_only=True) as uow:
        person = await uow.people.by_user_id(user_id)
        if person is None:
            return ProfileView(profile, None, ())
        programs = {p.id: p for p in await uow.programs.all()}
        enrolled = await uow.enrollments.for_person(person.id)
    return ProfileView(
        profile,
        person,
        tuple((programs[e.program_id], e) for e in enrolled if e.program_id in programs),
    )
