"""Check-in answers stored together: a burst of clicks in a few transactions, not one
transaction each.

A click's answer waits here while the transaction before it commits, then goes in the
next one with every other answer that arrived meanwhile. One click alone is stored at
once, as before; a hundred at once take a handful of transactions. (On SQLite, one
writer at a time, a transaction per click made the hundredth click wait for the other
99: past Slack's 3 seconds in ``bench/load_bench.py``'s burst.) If the transaction
fails, every answer in it gets the failure, as each click on its own would have.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bot.services.scope import Scope


@dataclass(frozen=True, slots=True)
class Given:
    group_id: int
    person_id: int
    program_id: int
    answer: str


@dataclass(frozen=True, slots=True)
class Stored:
    """The group once the answer is stored: its outcome, its answers (user id → answer,
    in the order given) and how many said what came of the meeting."""

    outcome: str | None
    answers: dict[str, str]
    feedback: int


class AnswerBatches:
    """The answers of one workspace waiting for the next transaction."""

    def __init__(self) -> None:
        self._waiting: list[tuple[Given, asyncio.Future[Stored]]] = []
        self._storing: asyncio.Task[None] | None = None

    async def store(self, scope: Scope, given: Given) -> Stored:
        stored = asyncio.get_running_loop().create_future()
        self._waiting.append((given, stored))
        if self._storing is None:
            self._storing = asyncio.ensure_future(self._store_all(scope))
        # shielded: a click that gives up (its deadline) leaves the others' batch alone
        return await asyncio.shield(stored)

    async def _store_all(self, scope: Scope) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    stored = await _store(scope, [given for given, _ in batch])
                except Exception as exc:
                    for _, waiting in batch:
                        _settle(waiting, exc)
                else:
                    for given, waiting in batch:
                        _settle(waiting, stored[given.group_id])
        finally:
            self._storing = None


def _settle(waiting: asyncio.Future[Stored], outcome: Stored | Exception) -> None:
    if waiting.done():
        return
    if isinstance(outcome, Exception):
        waiting.set_exception(outcome)
        waiting.add_done_callback(lambda f: f.exception())  # (read even if no one waits)
    else:
        waiting.set_result(outcome)


async def _store(scope: Scope, batch: Sequence[Given]) -> dict[int, Stored]:
    now = scope.clock()
    answered: dict[int, set[int]] = defaultdict(set)  # program id → people
    for given in batch:
        answered[given.program_id].add(given.person_id)
    async with scope.unit() as uow:
        recorded = await uow.rounds.record_checkins(
            [(g.group_id, g.person_id, g.answer) for g in batch], now=now
        )
        for program_id, people in answered.items():
            await uow.enrollments.clear_missed_checkins(program_id, people, now=now)
        feedback = await uow.feedback.answered_in(list(recorded))
        await uow.commit()
    return {
        group: Stored(result.outcome, result.answers, feedback.get(group, 0))
        for group, result in recorded.items()
    }


_batches: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[tuple[int, int], AnswerBatches]
] = weakref.WeakKeyDictionary()


def batches_for(scope: Scope) -> AnswerBatches:
    """The batches of the scope's workspace in its database (in this event loop)."""
    found = _batches.setdefault(asyncio.get_running_loop(), {})
    return found.setdefault((id(scope.uow), scope.workspace_id), AnswerBatches())
