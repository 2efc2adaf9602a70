"""Forming a round: who is available, what the engine plans, and what must be sent.

``form_round`` stores the round, its groups, who was left out and one outbox row per
message in ONE transaction; delivery (``bot.services.delivery``) sends the rows. When
the program's latest round still has undelivered messages, ``form_round`` returns that
round instead of forming a new one, so running it again after a crash finishes the job.

Concurrency: the "look at the latest round, maybe form a new one" step runs with the
program row locked (``SELECT … FOR UPDATE`` on PostgreSQL, a write transaction on
SQLite), and a round is unique per program and slot — two ``round run``s or two clocks
produce one round.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from bot.errors import MentorbotError, UnknownProgram
from bot.services import outbox_plan, planning
from bot.services.planning import Trigger
from bot.services.roster import check_people, refresh
from bot.services.scope import Scope
from pairing.models import UnmatchedReason
from storage.records import ProgramRecord, RoundRecord
from storage.repositories.rounds import RoundExists
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

__all__ = ["FormedRound", "NotEnoughPeople", "Trigger", "form_round", "start_round"]
SEED_BITS = 62  # fits the BIGINT seed column


class NotEnoughPeople(MentorbotError):
    def __init__(self, program: str, available: int) -> None:
        who = "nobody is" if available == 0 else "only one person is"
        super().__init__(f"No round for “{program}”: {who} available (signed up and not paused).")


@dataclass(frozen=True, slots=True)
class FormedRound:
    """The round ``form_round`` stored (``created``) or found still being delivered."""

    program: ProgramRecord
    round: RoundRecord
    created: bool
    dropped: tuple[str, ...] = ()  # user ids the platform no longer knows

    @property
    def seed(self) -> int:
        return self.round.seed

    def summary(self) -> str:
        """One line for the lead or the operator."""
        groups = len(self.round.groups)
        people = len({m.person.id for g in self.round.groups for m in g.members})
        verb = "formed" if self.created else "still being delivered"
        line = (
            f"Round {self.round.number} of {self.program.name} {verb}: "
            f"{groups} group{'s' if groups != 1 else ''}, {people} people"
        )
        waiting = [lo for lo in self.round.left_out if lo.reason != UnmatchedReason.NO_MENTEES]
        if waiting:
            line += f", {len(waiting)} left out (first in line next time)"
        if len(waiting) < len(self.round.left_out):
            idle = len(self.round.left_out) - len(waiting)
            line += f", {idle} mentor{'s' if idle != 1 else ''} without a mentee this time"
        if self.dropped:
            line += f"; {len(self.dropped)} no longer in the workspace: {', '.join(self.dropped)}"
        return line + "."


async def form_round(
    scope: Scope,
    program: str,
    *,
    trigger: Trigger = "manual",
    slot: datetime | None = None,
    seed: int | None = None,
) -> FormedRound:
    """Form a round of ``program`` (by name) now — or return the one still in delivery.

    ``slot`` identifies the round (the schedule's fire time; a manual round uses now).
    ``seed`` replays a round exactly; by default a fresh one is drawn and logged.
    Everyone's profile is checked through ``scope.platform`` first (give it the paced
    platform: a large round looks up many people).
    """
    now = scope.clock()
    async with scope.unit() as uow:
        record = await _program(uow, program)
        latest = await uow.rounds.latest(record.id)
        if latest is not None and (not latest.delivered or (slot and latest.slot >= slot)):
            return FormedRound(record, latest, created=False)
        enrollments = await uow.enrollments.available(record.id, now=now)
    if len(enrollments) < 2:
        raise NotEnoughPeople(record.name, len(enrollments))
    checked = await check_people(scope.platform, enrollments)
    seed = secrets.randbits(SEED_BITS) if seed is None else seed
    async with scope.unit() as uow:
        await uow.programs.lock(record.id)
        current = await uow.rounds.latest(record.id)
        if _id(current) != _id(latest):  # someone else formed one meanwhile
            assert current is not None
            return FormedRound(record, current, created=False)
        members = await refresh(uow, enrollments, checked.profiles, checked.gone, now)
        if len(members) < 2:
            await uow.commit()
            raise NotEnoughPeople(record.name, len(members))
        history = await uow.rounds.history(record.id)
        priority = frozenset(lo.person.user_id for lo in latest.left_out) if latest else None
        plan = await planning.plan(
            uow, record, members, history, seed, priority or frozenset(), now
        )
        log.info(
            "round of %s: %d members, seed %d → %d groups, %d left out",
            record.name,
            len(members),
            seed,
            len(plan.groups),
            len(plan.unmatched),
        )
        try:
            stored = await planning.store(
                uow, record, plan, members, checked.gone, trigger, slot, now
            )
        except RoundExists:
            await uow.rollback()
            again = await uow.rounds.latest(record.id)
            assert again is not None
            return FormedRound(record, again, created=False)
        await outbox_plan.queue_round(
            uow,
            record,
            stored,
            members,
            now=now,
            quiet=priority or frozenset() if trigger == "join" else None,
        )
        await uow.commit()
    return FormedRound(record, stored, created=True, dropped=checked.gone)


async def start_round(scope: Scope, program: str, *, actor: str | None = None) -> FormedRound:
    """For a lead's ``round`` command: form (or resume) the round, then deliver in the
    background. Returns once the round is stored — the introductions go out afterwards,
    at the platform's pace."""
    deliveries = scope.deliveries
    if deliveries is None:
        raise MentorbotError("Rounds cannot be sent from here.")
    paced = scope.using(await deliveries.platform(scope.workspace))
    formed = await form_round(paced, program)
    if actor and formed.created:
        async with scope.unit() as uow:
            await uow.audit.add(
                actor=actor,
                action="round_run",
                target=formed.program.name,
                details={"round": formed.round.number, "seed": formed.seed},
                now=scope.clock(),
            )
            await uow.commit()
    deliveries.kick(scope.workspace, round_id=formed.round.id)
    return formed


async def _program(uow: UnitOfWork, name: str) -> ProgramRecord:
    record = await uow.programs.by_name(name)
    if record is None:
        raise UnknownProgram(name)
    return record


def _id(record: RoundRecord | None) -> int | None:
    return record.id if record is not None else None
