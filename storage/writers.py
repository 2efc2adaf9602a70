"""SQLite's one writer at a time, queued in the process instead of polling for the lock.

SQLite lets one transaction write at a time; the others wait in its busy handler,
which sleeps and retries (1 ms, 2 ms … up to 100 ms between tries) in each
connection's thread. Under a burst that means many threads polling, a lock that goes
to whoever polls at the right moment, and waits far longer than the writes themselves.
Within one process, writing units of work therefore queue here first, in order; the
busy handler is left for other processes (a ``round run`` beside ``serve``). A unit of
work waiting longer than the busy timeout fails as SQLite's own "database is locked"
would. Urgent work (``storage.priority``: a click Slack is waiting on) is let in first.
"""

from __future__ import annotations

import asyncio
import sqlite3
import weakref
from typing import Any

from storage.priority import PriorityLine

_queues: weakref.WeakKeyDictionary[Any, WriterQueue] = weakref.WeakKeyDictionary()


class WriterQueue:
    def __init__(self, busy_seconds: float) -> None:
        self.busy_seconds = busy_seconds
        self._lines: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, PriorityLine] = (
            weakref.WeakKeyDictionary()
        )

    async def acquire(self) -> PriorityLine:
        """The writer's place (``give_back()`` it when the transaction is over)."""
        loop = asyncio.get_running_loop()
        line = self._lines.get(loop)
        if line is None:
            line = self._lines[loop] = PriorityLine(1)
        try:
            async with asyncio.timeout(self.busy_seconds):  # (3.11's wait_for loses cancels)
                await line.take()
        except TimeoutError:
            raise sqlite3.OperationalError(
                f"database is locked (waited {self.busy_seconds:g}s for another writer)"
            ) from None
        return line


def register(engine: Any, busy_seconds: float) -> None:
    """``engine`` (a sync Engine) is SQLite: its writers queue."""
    _queues[engine] = WriterQueue(busy_seconds)


def queue_for(engine: Any) -> WriterQueue | None:
    """The writers' queue of ``engine`` (a sync Engine), None if it needs none."""
    return _queues.get(engine)
