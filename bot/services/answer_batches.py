"""Check-in answers stored together: a burst of clicks in a few transactions, not one
transaction each.

A click waits here while the transaction before it commits, then goes in the next one
with every other click that arrived meanwhile: the groups are read, each clicker is
checked to be in their group, and the answers are stored, in a few statements for the
whole batch. One click alone is stored at once, as before; a hundred at once take a
handful of transactions. (On SQLite, one writer at a time, a transaction per click made
the hundredth click wait for the other 99: past Slack's 3 seconds in
``bench/load_bench.py``'s burst.) If the transaction fails, every click in it gets the
failure, as each on its own would have.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bot.services.scope import Scope
from storage.records import GroupRecord, ProgramRecord, RoundRecord


@dataclass(frozen=True, slots=True)
class Click:
    group_id: int
    user_id: str
    answer: str


@dataclass(frozen=True, slots=True)
class Stored:
    """The group once the answer is stored: its round, its program, its outcome, its
    answers (user id → answer, in the order given) and how many said what came of the
    meeting."""

    round: RoundRecord
    group: GroupRecord
    program: ProgramRecord
    outcome: str | None
    answers: dict[str, str]
    feedback: int


class AnswerBatches:
    """The answers of one workspace waiting for the next transaction."""

    def __init__(self) -> None:
        self._waiting: list[tuple[Click, asyncio.Future[Stored | None]]] = []
        self._storing: asyncio.Task[None] | None = None

    async def store(self, scope: Scope, click: Click) -> Stored | None:
        """The group once the answer is stored; None if the clicker is not in it."""
        stored = asyncio.get_running_loop().create_future()
        self._waiting.append((click, stored))
        if self._storing is None:
            self._storing = asyncio.ensure_future(self._store_all(scope))
        # shielded: a click that gives up (its deadline) leaves the others' batch alone
        return await asyncio.shield(stored)

    async def _store_all(self, scope: Scope) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    stored = await _store(scope, [click for click, _ in batch])
                except Exception as exc:
                    for _, waiting in batch:
                        _settle(waiting, exc)
                else:
                    for (_, waiting), result in zip(batch, stored, strict=True):
                        _settle(waiting, result)
        finally:
            self._storing = None


def _settle(waiting: asyncio.Future[Stored | None], outcome: Stored | Exception | None) -> None:
    if waiting.done():
        return
    if isinstance(outcome, Exception):
        waiting.set_exception(outcome)
        waiting.add_done_callback(lambda f: f.exception())  # (read even if no one waits)
    else:
        waiting.set_result(outcome)


async def _store(scope: Scope, clicks: Sequence[Click]) -> list[Stored | None]:
    now = scope.clock()
    async with scope.unit() as uow:
        found = await uow.rounds.groups(sorted({click.group_id for click in clicks}))
        programs = {
            program_id: await uow.programs.get(program_id)
            for program_id in {round_.program_id for round_, _ in found.values()}
        }
        people = [_member(found.get(click.group_id), click.user_id) for click in clicks]
        given = [
            (click.group_id, person, click.answer)
            for click, person in zip(clicks, people, strict=True)
            if person is not None
        ]
        recorded = await uow.rounds.record_checkins(given, now=now) if given else {}
        answered: dict[int, set[int]] = defaultdict(set)  # program id → people
        for group_id, person_id, _ in given:
            answered[found[group_id][0].program_id].add(person_id)
        for program_id, answering in answered.items():
            await uow.enrollments.clear_missed_checkins(program_id, answering, now=now)
        feedback = await uow.feedback.answered_in(list(recorded))
        await uow.commit()
    results: list[Stored | None] = []
    for click, person in zip(clicks, people, strict=True):
        if person is None:
            results.append(None)
            continue
        round_, group = found[click.group_id]
        program = programs[round_.program_id]
        assert program is not None
        result = recorded[click.group_id]
        count = feedback.get(group.id, 0)
        results.append(Stored(round_, group, program, result.outcome, result.answers, count))
    return results


def _member(place: tuple[RoundRecord, GroupRecord] | None, user_id: str) -> int | None:
    """The clicker's person id, if they are in the group."""
    if place is None:
        return None
    found = (m.person.id for m in place[1].members if m.person.user_id == user_id)
    return next(found, None)


_batches: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[tuple[int, int], AnswerBatches]
] = weakref.WeakKeyDictionary()


def batches_for(scope: Scope) -> AnswerBatches:
    """The batches of the scope's workspace in its database (in this event loop)."""
    found = _batches.setdefault(asyncio.get_running_loop(), {})
    return found.setdefault((id(scope.uow), scope.workspace_id), AnswerBatches())
