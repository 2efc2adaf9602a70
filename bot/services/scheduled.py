"""What the clock runs: a program's scheduled round, and a round's check-ins when due.

Both are safe to run twice (two clocks for a moment, a retry after a crash): the round
is unique per program and slot, check-ins are queued once per round, and every message
goes out exactly once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from apscheduler.triggers.base import BaseTrigger

from bot.errors import MentorbotError
from bot.kinds import lasts_a_term
from bot.services.checkins import CHECKIN_KINDS, queue_checkins
from bot.services.digest import QueuedDigest, queue_digest
from bot.services.mentorships import Queued, queue_due
from bot.services.rounds import form_round
from bot.services.scope import Scope
from storage.records import ProgramRecord, RoundRecord

log = logging.getLogger(__name__)


def latest_slot(trigger: BaseTrigger, now: datetime, *, within: timedelta) -> datetime | None:
    """The schedule's last fire time at or before ``now``, if it is inside ``within``."""
    found: datetime | None = None
    moment: datetime | None = trigger.get_next_fire_time(None, now - within)
    while moment is not None and moment <= now:
        found = moment
        moment = trigger.get_next_fire_time(moment, moment + timedelta(seconds=1))
    return found


def checkin_due(program: ProgramRecord, latest: RoundRecord | None) -> datetime | None:
    """When the latest round's check-ins should go out (None: not wanted, or done).
    A kind whose matches last a term checks in on each relationship instead
    (``run_mentorship_checkins``)."""
    if program.checkin_after_days <= 0 or latest is None or latest.checkin_at is not None:
        return None
    if lasts_a_term(program):
        return None
    return latest.created_at + timedelta(days=program.checkin_after_days)


async def run_scheduled_round(scope: Scope, program: str, slot: datetime) -> RoundRecord | None:
    """Form and deliver ``program``'s round for ``slot``; finish an older one first.

    ``scope``'s platform should be the workspace's paced one, and its deliveries set.
    """
    service = scope.deliveries
    assert service is not None, "a scheduled round needs the delivery service"
    for _ in range(2):
        try:
            formed = await form_round(scope, program, trigger="schedule", slot=slot)
        except MentorbotError as exc:
            log.info("scheduled round of %s skipped: %s", program, exc)
            return None
        log.info("%s (seed %d)", formed.summary(), formed.seed)
        report = await service.deliver_round(scope.workspace, formed.round.id)
        if formed.created or formed.round.slot >= slot or not report.complete:
            return formed.round
        # That was an older round left unfinished; now form this slot's own.
    return None


async def run_checkins(scope: Scope, program: str) -> RoundRecord | None:
    service = scope.deliveries
    assert service is not None, "check-ins need the delivery service"
    try:
        queued = await queue_checkins(scope, program)
    except MentorbotError as exc:
        log.info("check-ins of %s skipped: %s", program, exc)
        return None
    await service.deliver_round(scope.workspace, queued.round.id, kinds=CHECKIN_KINDS)
    return queued.round


async def run_digest(
    scope: Scope, program: str, *, at: datetime | None = None
) -> QueuedDigest | None:
    """Queue ``program``'s monthly impact digest (once per month) and deliver it."""
    service = scope.deliveries
    assert service is not None, "the digest needs the delivery service"
    try:
        queued = await queue_digest(scope, program, at=at)
    except MentorbotError as exc:
        log.info("impact digest of %s skipped: %s", program, exc)
        return None
    await service.drain(scope.workspace, until_done=True)
    return queued


async def run_mentorship_checkins(scope: Scope) -> Queued:
    """Queue the mentorships' due check-ins, nudges and closing cards, and send them."""
    queued = await queue_due(scope)
    if scope.deliveries is not None and queued.anything:
        await scope.deliveries.drain(scope.workspace, until_done=True)
    return queued
