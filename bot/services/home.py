"""What a person's home tab shows: their programs, matches and pauses; for a lead, each
program's next round, participation and the last round's meeting rate."""

from __future__ import annotations

import logging

from bot.services.leads import is_lead
from bot.services.membership import match_in
from bot.services.reports import program_stats
from bot.services.scope import Scope
from bot.viewmodels import HomeData, Membership

log = logging.getLogger(__name__)


async def home(scope: Scope, user_id: str) -> HomeData:
    """Everything the home tab needs; ``UnknownUser`` if the platform forgot the person."""
    profile = await scope.platform.user_profile(user_id)
    now = scope.clock()
    async with scope.unit(read_only=True) as uow:
        programs = await uow.programs.all()
        by_id = {p.id: p for p in programs}
        person = await uow.people.by_user_id(user_id)
        memberships: list[Membership] = []
        if person is not None:
            for enrollment in await uow.enrollments.for_person(person.id):
                program = by_id.get(enrollment.program_id)
                if program is not None:
                    match = await match_in(uow, person, program)
                    memberships.append(Membership(program, enrollment, match))
    mine = {m.program.id for m in memberships}
    lead = None
    if is_lead(profile, scope.admins):
        lead = tuple([await program_stats(scope, p.name) for p in programs if p.active])
    return HomeData(
        profile=profile,
        now=now,
        memberships=tuple(memberships),
        open_programs=tuple(p for p in programs if p.active and p.id not in mine),
        lead=lead,
        dashboard=scope.dashboard(user_id) if lead is not None and scope.dashboard else None,
    )
