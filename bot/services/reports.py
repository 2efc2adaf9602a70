"""What program leads read: the pairing history and the program's headline numbers.

``program_history`` has the shape of ``mentorbot history --format json`` (DESIGN.md):
``{"program": …, "rounds": [{"number", "created_at", "groups": [{"members": [user ids],
"outcome": "met" | "not_met" | null}]}]}`` — ``outcome`` comes from the check-ins.
``program_stats`` summarises the same history with :mod:`pairing.metrics`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.errors import UnknownProgram
from bot.services.scope import Scope
from bot.viewmodels import GroupHistory, ProgramReport, RoundHistory
from bot.viewmodels import ProgramHistory as ProgramHistory  # callers that predate viewmodels
from bot.viewmodels import next_round_at as next_round_at
from pairing.metrics import program_stats as summarise
from pairing.models import Outcome, PastGroup
from storage.records import ProgramRecord, RoundRecord
from storage.uow import UnitOfWork


async def program_history(scope: Scope, program: str) -> ProgramHistory:
    """Every round of ``program`` (by name), oldest first; UnknownProgram if none."""
    async with scope.unit(read_only=True) as uow:
        record = await _program(uow, program)
        rounds = await uow.rounds.recent(record.id)
    return ProgramHistory(program=record.name, rounds=tuple(_round(r) for r in reversed(rounds)))


async def program_stats(scope: Scope, program: str) -> ProgramReport:
    """Participation, meeting rate and cross-team ties of ``program`` (by name)."""
    async with scope.unit(read_only=True) as uow:
        record = await _program(uow, program)
        rounds = await uow.rounds.recent(record.id)
        enrolled = [e.person.user_id for e in await uow.enrollments.for_program(record.id)]
    return build_report(record, rounds, enrolled, now=scope.clock())


def build_report(
    record: ProgramRecord, rounds: Sequence[RoundRecord], enrolled: Sequence[str], *, now: datetime
) -> ProgramReport:
    """The report over already loaded ``rounds`` (newest first) and enrolled user ids."""
    past = past_groups(rounds)
    stats = summarise(past, teams=teams_of(rounds), enrolled=enrolled)
    last = rounds[0] if rounds else None
    last_stats = (
        summarise(past, teams=teams_of(rounds), enrolled=enrolled, rounds={last.number})
        if last
        else None
    )
    return ProgramReport(
        program=record,
        stats=stats,
        last_round=last_stats,
        last_round_number=last.number if last else None,
        next_round_at=next_round_at(record, now),
    )


def teams_of(rounds: Sequence[RoundRecord]) -> dict[str, str | None]:
    """Each grouped person's team (user id → team), as the metrics read it."""
    return {m.person.user_id: m.person.team for r in rounds for g in r.groups for m in g.members}


def past_groups(rounds: Sequence[RoundRecord]) -> list[PastGroup]:
    """The engine's view of stored rounds (for metrics)."""
    return [
        PastGroup(
            round=r.number,
            members=frozenset(g.user_ids),
            outcome=Outcome(g.outcome) if g.outcome else None,
        )
        for r in rounds
        for g in r.groups
    ]


def _round(record: RoundRecord) -> RoundHistory:
    return RoundHistory(
        number=record.number,
        created_at=record.created_at,
        groups=tuple(
            GroupHistory(
                members=g.user_ids,
                names=tuple(m.person.display_name for m in g.members),
                outcome=g.outcome,
            )
            for g in record.groups
        ),
        left_out=tuple(lo.person.user_id for lo in record.left_out),
        delivered=record.delivered,
    )


async def _program(uow: UnitOfWork, name: str) -> ProgramRecord:
    record = await uow.programs.by_name(name)
    if record is None:
        raise UnknownProgram(name)
    return record
