"""What the clock runs: a program's scheduled round, and a round's check-ins when due;
in programs that match people as they join, an intake whenever that can make a match.

Both are safe to run twice (two clocks for a moment, a retry after a crash): the round
is unique per program and slot, check-ins are queued once per round, and every message
goes out exactly once.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from datetime import datetime, timedelta

from apscheduler.triggers.base import BaseTrigger

from bot.errors import MentorbotError
from bot.kinds import KINDS, lasts_a_term
from bot.services.checkins import CHECKIN_KINDS, queue_checkins
from bot.services.digest import QueuedDigest, queue_digest
from bot.services.mentorships import Queued, queue_due
from bot.services.planning import Trigger
from bot.services.rounds import form_round
from bot.services.scope import Scope
from pairing.models import Role
from storage.records import OPEN_STATES, ProgramRecord, RoundRecord
from storage.uow import UnitOfWork

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


async def run_scheduled_round(
    scope: Scope, program: str, slot: datetime, *, trigger: Trigger = "schedule"
) -> RoundRecord | None:
    """Form and deliver ``program``'s round for ``slot``; finish an older one first.

    ``scope``'s platform should be the workspace's paced one, and its deliveries set.
    """
    service = scope.deliveries
    assert service is not None, "a scheduled round needs the delivery service"
    for _ in range(2):
        try:
            formed = await form_round(scope, program, trigger=trigger, slot=slot)
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
    """Queue the mentorships' due check-ins, nudges and closing cards, and send them;
    then match whoever is waiting in programs that match people as they join."""
    queued = await queue_due(scope)
    if scope.deliveries is not None and queued.anything:
        await scope.deliveries.drain(scope.workspace, until_done=True)
    if scope.deliveries is None:
        return queued
    return dataclasses.replace(queued, intakes=await run_joined_intakes(scope))


async def run_joined_intakes(scope: Scope) -> int:
    """An intake now (a round with ``trigger="join"``, delivered) for each program that
    matches people as they join (``Term.on_join``) where it can make a match: a mentee is
    waiting, a mentor has a free place, and something changed since the last round —
    someone joined, came back or edited their answers, or a mentorship ended. Returns
    how many were formed. Nobody is told twice that they are still waiting, and the
    channel hears only of scheduled intakes (``outbox_plan.queue_round``)."""
    now = scope.clock()
    async with scope.unit(read_only=True) as uow:
        due = [
            program
            for program in await uow.programs.all()
            if program.active and _on_join(program) and await _intake_wanted(uow, program, now)
        ]
    slot = now.replace(second=0, microsecond=0)  # a second clock at once finds the round
    formed = 0
    for program in due:
        found = await run_scheduled_round(scope, program.name, slot, trigger="join")
        formed += found is not None and found.slot == slot
    return formed


def _on_join(program: ProgramRecord) -> bool:
    term = KINDS.of(program).term(program)
    return term is not None and term.on_join


async def _intake_wanted(uow: UnitOfWork, program: ProgramRecord, now: datetime) -> bool:
    latest = await uow.rounds.latest_head(program.id)
    since = latest.created_at if latest is not None else None
    changed = await uow.enrollments.changed_since(program.id, since)
    if not changed and since is not None:
        changed = await uow.mentorships.ended_since(program.id, since)
    if not changed:
        return False
    members = await uow.enrollments.available(program.id, now=now)
    current = await uow.mentorships.for_program(program.id, states=OPEN_STATES)
    taken = Counter(m.mentor.id for m in current)
    matched = {m.mentee.id for m in current}
    places = KINDS.of(program).default_capacity(program)
    waiting = any(e.role is Role.MENTEE and e.person.id not in matched for e in members)
    free = any(
        e.role is Role.MENTOR and (e.capacity or places) > taken[e.person.id] for e in members
    )
    return waiting and free
