"""SQLite's one writer at a time, queued in the process instead of polling for the lock.

SQLite lets one transaction write at a time; the others wait in its busy handler,
which sleeps and retries (1 ms, 2 ms … up to 100 ms between tries) in each
connection's thread. Under a burst that means many threads polling, a lock that goes
to whoever polls at the right moment, and waits far longer than the writes themselves.
Within one process, writing units of work therefore queue here first, in order; the
busy handler is left for other processes (a ``round run`` beside ``serve``). A unit of
work waiting longer than the busy timeout fails as SQLite's own "database is locked"
would.
"""

from __future__ import annotations

import asyncio
import sqlite3
import weakref
from typing import Any

_queues: weakref.WeakKeyDictionary[Any, WriterQueue] = weakref.WeakKeyDictionary()


class WriterQueue:
    def __init__(self, busy_seconds: float) -> None:
        self.busy_seconds = busy_seconds
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    async def acquire(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        try:
            async with asyncio.timeout(self.busy_seconds):  # (3.11's wait_for loses cancels)
                await lock.acquire()
        except TimeoutError:
            raise sqlite3.OperationalError(
                f"database is locked (waited {self.busy_seconds:g}s for another writer)"
            ) from None
        return lock


def register(engine: Any, busy_seconds: float) -> None:
    """``engine`` (a sync Engine) is SQLite: its writers queue."""
    _queues[engine] = WriterQueue(busy_seconds)


def queue_for(engine: Any) -> WriterQueue | None:
    """The writers' queue of ``engine`` (a sync Engine), None if it needs none."""
    return _queues.get(engine)
