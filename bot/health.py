"""``/healthz``'s look at the database: answered within ``HEALTH_SECONDS``, whatever the
database does.

The probe opens a connection of its own (not one of the pool's, so a busy pool never
reads as a dead database) and runs ``SELECT 1``. A database that refuses is reported at
once; one that accepts but does not answer is reported when the time is up, and the
probe is abandoned in the background rather than waited for.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool

from storage.db import create_engine
from storage.timeouts import DatabaseLimits

log = logging.getLogger(__name__)

# A live database answers SELECT 1 in milliseconds; the rest of the 2 s that /healthz
# promises is for a busy event loop and the way back.
HEALTH_SECONDS = 1.0


class DatabaseProbe:
    def __init__(self, engine: AsyncEngine, *, seconds: float = HEALTH_SECONDS) -> None:
        self.engine = engine
        self.seconds = seconds

    async def problem(self) -> str | None:
        """None when the database answered; otherwise one line saying what is wrong."""
        check = asyncio.ensure_future(self._select_one())
        done, _ = await asyncio.wait({check}, timeout=self.seconds)
        if not done:
            check.cancel()
            check.add_done_callback(_forget)
            log.warning("health check: the database did not answer within %gs", self.seconds)
            return f"the database did not answer within {self.seconds:g} s"
        error = check.exception()
        if error is None:
            return None
        log.warning("health check: database unreachable: %s", _one_line(error))
        return f"the database is unreachable: {_one_line(error)}"

    async def aclose(self) -> None:
        await self.engine.dispose()

    async def _select_one(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))


def database_probe(url: URL, limits: DatabaseLimits) -> DatabaseProbe:
    """A probe on an engine of its own (no pool: a busy pool is not a dead database)."""
    return DatabaseProbe(create_engine(url, limits=limits, poolclass=NullPool))


def _one_line(error: BaseException) -> str:
    cause = getattr(error, "orig", None) or error
    first = (str(cause).splitlines() or [""])[0].strip()
    return f"{type(cause).__name__}: {first}" if first else type(cause).__name__


def _forget(task: asyncio.Future[None]) -> None:
    if not task.cancelled():
        task.exception()  # retrieved, so asyncio does not log it as never retrieved
