"""Draining one workspace's outbox: claim due rows, send them concurrently, repeat.

Sending is paced per workspace, so the number of rows in flight only has to keep every
rate-limit window busy; each row renews its lease just before its own call, so waiting
for a slot never lets another claimer take a row over while it is being posted.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.delivery import claimer as claimers
from bot.delivery import keys
from bot.delivery.pacer import Sleep
from bot.delivery.sender import LEASE, OutboxSender
from storage.records import OutboxRecord
from storage.repositories.outbox import PENDING, SENDING
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

CONCURRENCY = 16
POLL_SECONDS = 1.0
STALL_SECONDS = 600.0


@dataclass(frozen=True, slots=True)
class Drained:
    handled: int  # rows this drain finished (sent, failed or put back for later)
    open_rows: int  # rows still pending or sending in the drained scope
    stalled: bool = False  # gave up waiting: nothing moved for the stall timeout


class Drain:
    """One pass (or, with ``until_done``, every pass) over a workspace's outbox."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        workspace_id: int,
        sender: OutboxSender,
        *,
        clock: Clock,
        sleep: Sleep = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        concurrency: int = CONCURRENCY,
        lease: timedelta = LEASE,
        on_round_done: Callable[[int], Awaitable[None]] | None = None,
        claimer: str | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        self.workspace_id = workspace_id
        self.sender = sender
        self.clock = clock
        self.sleep = sleep
        self.monotonic = monotonic
        self.concurrency = concurrency
        self.lease = lease
        self.on_round_done = on_round_done
        self.claimer = claimer or claimers.this_process()

    async def run(
        self,
        *,
        round_id: int | None = None,
        until_done: bool = False,
        stall_seconds: float = STALL_SECONDS,
    ) -> Drained:
        in_flight: dict[asyncio.Task[object], OutboxRecord] = {}
        touched: set[int] = {round_id} if round_id is not None else set()
        handled = 0
        open_rows = await self._open(round_id)
        moved_at = self.monotonic()
        try:
            while True:
                free = self.concurrency - len(in_flight)
                if free > 0:
                    for row in await self._claim(round_id, free):
                        in_flight[asyncio.create_task(self.sender.send(row))] = row
                        if row.round_id is not None:
                            touched.add(row.round_id)
                if in_flight:
                    done, _ = await asyncio.wait(
                        in_flight, timeout=POLL_SECONDS, return_when=asyncio.FIRST_COMPLETED
                    )
                    for task in done:
                        row = in_flight.pop(task)
                        handled += 1
                        if task.exception() is not None:
                            log.error("outbox %s: %r", row.key, task.exception())
                    continue
                if await self.settle(touched | set(await self._unsettled())):
                    continue  # an announcement was released: send it
                now_open = await self._open(round_id)
                if now_open < open_rows:
                    open_rows, moved_at = now_open, self.monotonic()
                if not until_done or now_open == 0:
                    return Drained(handled, now_open)
                if self.monotonic() - moved_at > stall_seconds:
                    return Drained(handled, now_open, stalled=True)
                await self.sleep(await self._idle_seconds(round_id))
        finally:
            for task in in_flight:
                task.cancel()

    async def settle(self, round_ids: set[int]) -> bool:
        """Release announcements whose round is otherwise done; mark finished rounds.

        Returns True when an announcement was released (there is more to send).
        """
        released = False
        for round_id in sorted(round_ids):
            async with self.uow_factory(self.workspace_id) as uow:
                record = await uow.rounds.head(round_id)
                if record is None or record.delivered:
                    continue
                counts = await uow.outbox.counts(round_id)
                open_rows = counts.get(PENDING, 0) + counts.get(SENDING, 0)
                news = await uow.outbox.by_key(keys.announcement(round_id))
                news_open = news is not None and news.state in (PENDING, SENDING)
                if open_rows == 1 and news_open:
                    released = (
                        await uow.outbox.release(keys.announcement(round_id), now=self.clock())
                        or released
                    )
                elif open_rows == 0:
                    await uow.rounds.mark_delivered(round_id, now=self.clock())
                    log.info("round %d delivered", record.number)
                await uow.commit()
            if open_rows == 0 and self.on_round_done is not None:
                await self.on_round_done(round_id)
        return released

    async def _claim(self, round_id: int | None, limit: int) -> list[OutboxRecord]:
        async with self.uow_factory(self.workspace_id) as uow:
            now = self.clock()
            for row_id, attempt, claimer in await uow.outbox.leased(now=now):
                if claimer != self.claimer and claimers.is_dead(claimer):
                    log.info("outbox row %d: its claimer %s is gone; taking over", row_id, claimer)
                    await uow.outbox.end_lease(row_id, attempt=attempt, now=now)
            rows = await uow.outbox.claim(
                now=now, lease=self.lease, limit=limit, round_id=round_id, claimer=self.claimer
            )
            await uow.commit()
        return rows

    async def _open(self, round_id: int | None) -> int:
        async with self.uow_factory(self.workspace_id) as uow:
            counts = await uow.outbox.counts(round_id)
        return counts.get(PENDING, 0) + counts.get(SENDING, 0)

    async def _unsettled(self) -> list[int]:
        """Latest rounds still marked as being delivered (e.g. after a crash)."""
        found: list[int] = []
        async with self.uow_factory(self.workspace_id) as uow:
            for program in await uow.programs.all():
                latest = await uow.rounds.latest_head(program.id)
                if latest is not None and not latest.delivered:
                    found.append(latest.id)
        return found

    async def _idle_seconds(self, round_id: int | None) -> float:
        async with self.uow_factory(self.workspace_id) as uow:
            due: datetime | None = await uow.outbox.next_due(round_id)
        if due is None:
            return POLL_SECONDS
        wait = (due - self.clock()).total_seconds()
        return min(max(wait, 0.05), POLL_SECONDS)
