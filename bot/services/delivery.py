"""Delivery for the whole process: one pacer per workspace, rounds delivered to the end,
and background drains that a chat handler can start without waiting for them.

The composition root makes ONE ``Deliveries`` per process and hands it to the clock, the
worker and every request's ``Scope``, so they share the pacers and therefore the
platforms' limits. Each workspace is paced by the limits its platform's adapter declares.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from bot.clock import Clock
from bot.delivery.drain import STALL_SECONDS, Drain, Drained
from bot.delivery.paced import PacedPlatform
from bot.delivery.pacer import Pacer, Pacers, Sleep
from bot.delivery.sender import CALL_TIMEOUT, LEASE, OutboxSender
from bot.platform import RateLimits
from bot.platforms import Platforms
from storage.records import OutboxRecord, WorkspaceRecord
from storage.repositories.outbox import FAILED, PENDING, SENDING, SENT
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

ROUND_KINDS = frozenset({"intro", "left_out", "announce"})


@dataclass(frozen=True, slots=True)
class Undelivered:
    key: str
    kind: str
    to: tuple[str, ...]  # the people, or the channel
    error: str | None


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    round_id: int
    sent: int
    failed: tuple[Undelivered, ...] = ()
    pending: tuple[Undelivered, ...] = ()
    stalled: bool = False

    @property
    def complete(self) -> bool:
        """Nothing left to try: every message was sent or failed for good."""
        return not self.pending

    @property
    def delivered(self) -> bool:
        return self.complete and not self.failed


def report(round_id: int, rows: Iterable[OutboxRecord], *, stalled: bool = False) -> DeliveryReport:
    rows = list(rows)

    def undelivered(state: str | tuple[str, ...]) -> tuple[Undelivered, ...]:
        states = (state,) if isinstance(state, str) else state
        return tuple(
            Undelivered(
                r.key,
                r.kind,
                tuple(r.payload.get("users") or [r.payload.get("channel", "")]),
                r.last_error,
            )
            for r in rows
            if r.state in states
        )

    return DeliveryReport(
        round_id=round_id,
        sent=sum(1 for r in rows if r.state == SENT),
        failed=undelivered(FAILED),
        pending=undelivered((PENDING, SENDING)),
        stalled=stalled,
    )


@dataclass
class Deliveries:
    """``rate_limit_speedup`` > 1 shortens every limit's window that many times: only
    for a simulated workspace (``mentorbot demo``); against a real platform it stays 1."""

    uow: UnitOfWorkFactory
    clock: Clock
    platforms: Platforms
    lease: timedelta = LEASE
    call_timeout: timedelta = CALL_TIMEOUT
    rate_limit_speedup: float = 1.0
    sleep: Sleep = asyncio.sleep
    monotonic: Callable[[], float] = time.monotonic
    pacers: Pacers = field(init=False)
    worker_attached: bool = False
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: dict[int, asyncio.Task[None]] = field(default_factory=dict)
    _again: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        if self.rate_limit_speedup <= 0:
            raise ValueError(f"rate_limit_speedup must be positive, not {self.rate_limit_speedup}")
        self.pacers = Pacers(self._pacer)

    def _pacer(self, limits: RateLimits) -> Pacer:
        return Pacer(
            limits.shortened(self.rate_limit_speedup),
            monotonic=self.monotonic,
            sleep=self.sleep,
        )

    def pacer(self, workspace: WorkspaceRecord) -> Pacer:
        return self.pacers.for_workspace(workspace.id, self.platforms.limits(workspace))

    async def platform(self, workspace: WorkspaceRecord) -> PacedPlatform:
        """The workspace's platform behind its pacer (no client-side retries)."""
        inner = await self.platforms.chat(workspace, retry=False)
        return PacedPlatform(inner, self.pacer(workspace))

    async def drain(
        self,
        workspace: WorkspaceRecord,
        *,
        round_id: int | None = None,
        until_done: bool = False,
        stall_seconds: float = STALL_SECONDS,
    ) -> Drained:
        platform = await self.platform(workspace)
        sender = OutboxSender(
            self.uow,
            workspace.id,
            platform,
            clock=self.clock,
            lease=self.lease,
            call_timeout=self.call_timeout,
        )
        drain = Drain(
            self.uow,
            workspace.id,
            sender,
            clock=self.clock,
            sleep=self.sleep,
            monotonic=self.monotonic,
            lease=self.lease,
        )
        return await drain.run(
            round_id=round_id, until_done=until_done, stall_seconds=stall_seconds
        )

    async def deliver_round(
        self,
        workspace: WorkspaceRecord,
        round_id: int,
        *,
        kinds: frozenset[str] = ROUND_KINDS,
        stall_seconds: float = STALL_SECONDS,
    ) -> DeliveryReport:
        """Send the round's messages until none is left to try (or nothing moves)."""
        drained = await self.drain(
            workspace, round_id=round_id, until_done=True, stall_seconds=stall_seconds
        )
        async with self.uow(workspace.id, read_only=True) as uow:
            rows = [r for r in await uow.outbox.for_round(round_id) if r.kind in kinds]
        return report(round_id, rows, stalled=drained.stalled)

    def kick(self, workspace: WorkspaceRecord, round_id: int | None = None) -> None:
        """Deliver in the background (the in-process worker, or a task of its own)."""
        if self.worker_attached:
            self.wake.set()
            return
        running = self._tasks.get(workspace.id)
        if running is not None and not running.done():
            self._again.add(workspace.id)
            return
        self._tasks[workspace.id] = asyncio.create_task(self._background(workspace))

    async def settled(self) -> None:
        """Wait for the background deliveries that kicks started (none left running)."""
        while running := [t for t in self._tasks.values() if not t.done()]:
            await asyncio.gather(*running, return_exceptions=True)

    async def aclose(self) -> None:
        tasks = [t for t in self._tasks.values() if not t.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _background(self, workspace: WorkspaceRecord) -> None:
        while True:
            self._again.discard(workspace.id)
            try:
                await self.drain(workspace, until_done=True)
            except Exception:
                log.exception("background delivery for workspace %s failed", workspace.name)
            if workspace.id not in self._again:
                return
