"""The delivery worker: drains every workspace's outbox, again and again.

It runs inside ``serve`` on the embedded default and as ``mentorbot worker`` when split
out; any number can run at once (rows are claimed with ``FOR UPDATE SKIP LOCKED``). A
kick (``Deliveries.kick``, e.g. after ``/mentor round``) wakes it before the next poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)
POLL_SECONDS = 5.0


class DeliveryWorker:
    def __init__(self, core: Core, *, poll_seconds: float = POLL_SECONDS) -> None:
        self.core = core
        self.poll_seconds = poll_seconds
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.core.deliveries.worker_attached = True
        self._task = asyncio.create_task(self.run())

    async def stop(self) -> None:
        self.core.deliveries.worker_attached = False
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def run(self) -> None:
        service = self.core.deliveries
        while True:
            await self.drain_once()
            # Not asyncio.wait_for: on Python 3.11 it swallows a cancel that arrives as the
            # kick does, and ``stop()`` then waited forever for a worker that went on.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_seconds):
                    await service.wake.wait()
            service.wake.clear()

    async def drain_once(self) -> int:
        """One pass over every workspace; the number of rows handled."""
        service = self.core.deliveries
        async with self.core.uow.workspaces() as unit:
            known = await unit.workspaces.all()
        handled = 0
        for workspace in known:
            if workspace.platform not in self.core.platforms:
                continue  # another process serves it
            try:
                handled += (await service.drain(workspace)).handled
            except Exception:
                log.exception("delivery for workspace %s failed; retrying later", workspace.name)
        return handled
