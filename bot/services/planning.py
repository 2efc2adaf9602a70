"""Asking the engine for a plan, and storing the plan as a round.

The engine is pure: members (with the reporting line and each person's UTC offset on the
round's day), past groups with their outcomes, options and a seed go in; a plan comes
out. The program's kind (``bot.kinds``) says which planner runs and with which options
(coffee, for one, gives whoever was left out last time priority).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import Literal

from bot.kinds import KINDS
from pairing.models import Member, PastGroup, Plan
from storage import convert
from storage.records import EnrollmentRecord, ProgramRecord, RoundRecord
from storage.repositories.rounds import NewGroup
from storage.uow import UnitOfWork

Trigger = Literal["manual", "schedule"]


async def plan(
    uow: UnitOfWork,
    program: ProgramRecord,
    enrollments: Sequence[EnrollmentRecord],
    history: Sequence[PastGroup],
    seed: int,
    priority: frozenset[str],
    now: datetime,
) -> Plan:
    kind = KINDS.of(program)
    managers = await uow.people.managers()
    capacity = kind.default_capacity(program)
    members: list[Member] = [
        convert.member(e, at=now, managers=managers, default_capacity=capacity) for e in enrollments
    ]
    # The engine is CPU-bound (a second or two for 10,000 people): off the event loop, so
    # the web process keeps answering Slack within its 3 seconds meanwhile.
    planner = partial(kind.plan, program, members, history, seed=seed, priority=priority)
    return await asyncio.to_thread(planner)


async def store(
    uow: UnitOfWork,
    program: ProgramRecord,
    plan: Plan,
    enrollments: Sequence[EnrollmentRecord],
    gone: Sequence[str],
    trigger: Trigger,
    slot: datetime | None,
    now: datetime,
) -> RoundRecord:
    kind = KINDS.of(program)
    by_user = {e.person.user_id: e for e in enrollments}
    groups = []
    for group in plan.groups:
        ordered = sorted(group.members, key=lambda u: u != group.mentor)  # mentor first
        groups.append(
            NewGroup(
                members=[
                    (by_user[u].person.id, kind.role_in_group(u, group.mentor)) for u in ordered
                ],
                reasons=group.reasons,
                score=group.score,
            )
        )
    notes = list(plan.notes) + [f"no longer in the workspace: {u}" for u in gone]
    return await uow.rounds.create(
        program_id=program.id,
        seed=plan.seed,
        slot=slot or now,
        trigger=trigger,
        groups=groups,
        left_out=[(by_user[u.member].person.id, u.reason.value) for u in plan.unmatched],
        notes=notes,
        now=now,
    )
