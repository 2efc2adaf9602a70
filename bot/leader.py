"""Only one clock fires: a PostgreSQL advisory lock held on a connection of its own.

``pg_try_advisory_lock`` never waits; a second clock process gets False, idles and asks
again later. The lock lives as long as the connection, so a clock that dies (or loses
its database connection) frees it for the next one at once. On SQLite — the embedded,
single-process default — there is nothing to coordinate and the lock is always held.
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

CLOCK_LOCK_KEY = 0x6D656E746F72 + 1  # next to the migration lock, and distinct from it


class Leadership:
    def __init__(self, engine: AsyncEngine, *, key: int = CLOCK_LOCK_KEY) -> None:
        self.engine = engine
        self.key = key
        self._connection: AsyncConnection | None = None
        self.held = False

    @property
    def needed(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    async def acquire(self) -> bool:
        """Try once; True if this process now holds (or already held) the lock."""
        if not self.needed:
            self.held = True
            return True
        if self.held and await self.still_held():
            return True
        await self._drop()
        try:
            connection = await self.engine.connect()
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            got = await connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
            )
        except Exception as exc:
            log.warning("cannot reach the database to take the clock lock: %s", exc)
            return False
        if got:
            self._connection, self.held = connection, True
        else:
            await connection.close()
        return self.held

    async def still_held(self) -> bool:
        """The lock is gone if its connection is."""
        if not self.needed:
            return True
        if self._connection is None:
            return False
        try:
            await self._connection.execute(text("SELECT 1"))
        except Exception as exc:
            log.warning("lost the clock lock's database connection: %s", exc)
            await self._drop()
            return False
        return True

    async def release(self) -> None:
        if self._connection is not None and self.held:
            try:
                await self._connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": self.key}
                )
            except Exception:
                log.debug("could not unlock; closing the connection frees it", exc_info=True)
        await self._drop()

    async def _drop(self) -> None:
        connection, self._connection, self.held = self._connection, None, False
        if connection is not None:
            try:
                await connection.close()
            except Exception:
                log.debug("closing the lock connection failed", exc_info=True)
