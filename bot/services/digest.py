"""The monthly impact digest: to each lead of a program, in a direct message through the
outbox, once per program and month (the outbox key is the program, the month in the
program's time zone and the lead: a second run, a second clock or a retry queue
nothing new).

Leads are the ``admins`` of the settings and the workspace's admins and owners.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.builders.impact_digest import digest
from bot.delivery import keys
from bot.delivery.sender import to_people
from bot.errors import MentorbotError, UnknownProgram
from bot.services.impact import program_impact
from bot.services.scope import Scope

log = logging.getLogger(__name__)
DIGEST_KIND = "digest"


class NothingToReport(MentorbotError):
    def __init__(self, program: str) -> None:
        super().__init__(f"“{program}” has no rounds yet: no impact digest to send.")


@dataclass(frozen=True, slots=True)
class QueuedDigest:
    program: str
    month: str
    leads: tuple[str, ...]
    queued: int  # new outbox rows (0: this month's digest was queued before)


def month_of(moment: datetime, time_zone: str) -> str:
    return moment.astimezone(ZoneInfo(time_zone)).strftime("%Y-%m")


async def queue_digest(scope: Scope, program: str, *, at: datetime | None = None) -> QueuedDigest:
    """Queue ``program``'s digest for the month of ``at`` (default: now) to every lead."""
    now = scope.clock()
    report = await program_impact(scope, program)
    if report.rounds == 0:
        raise NothingToReport(report.program)
    async with scope.unit() as uow:
        record = await uow.programs.by_name(program)
        if record is None:
            raise UnknownProgram(program)
        month = month_of(at or now, record.timezone)
        leads = tuple(sorted(set(scope.admins) | set(await uow.people.admins())))
        queued = 0
        for lead in leads:
            link = scope.dashboard(lead) if scope.dashboard is not None else None
            message = digest(report, month=month, now=now, link=link)
            queued += await uow.outbox.add(
                key=keys.digest(record.id, month, lead),
                kind=DIGEST_KIND,
                payload=to_people([lead], message),
                now=now,
            )
        await uow.commit()
    log.info(
        "impact digest of %s for %s: %d queued for %d leads", program, month, queued, len(leads)
    )
    return QueuedDigest(record.name, month, leads, queued)
