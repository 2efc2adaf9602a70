"""How long anything may wait on the database, and how many connections a process holds.

Without these a database that accepts connections but stops answering (a network
partition, a stuck server) hangs every request for minutes. Each limit is one of the
settings (``database_connect_timeout`` …, see config.example.toml):

- connect: opening a connection (PostgreSQL's startup handshake included);
- pool: waiting for a free connection of the process's pool;
- statement: one statement — PostgreSQL's ``statement_timeout`` on the server, and the
  driver gives up a second later on its own (a server that does not answer at all
  cannot cancel anything). Migrations run without it;
- SQLite's busy timeout: how long a writer waits for another writer to finish.

A transaction left idle by a process that stopped mid-way (frozen, or cut off by a
partition) is ended by PostgreSQL after ``IDLE_IN_TRANSACTION_SECONDS``, so the locks it
held (a program being formed) do not outlive it for hours.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.pool import AsyncAdaptedQueuePool

CLIENT_MARGIN_SECONDS = 1.0  # the driver's own limit, past the server's
IDLE_IN_TRANSACTION_SECONDS = 300  # well above a round's planning with its program locked


@dataclass(frozen=True, slots=True)
class DatabaseLimits:
    connect_seconds: float = 3.0
    pool_seconds: float = 30.0  # background work may queue; people have deadlines
    statement_seconds: float | None = 10.0  # None: no limit (migrations)
    sqlite_busy_seconds: float = 10.0
    max_connections: int = 15  # per process (PostgreSQL)

    def without_statement_limit(self) -> DatabaseLimits:
        return replace(self, statement_seconds=None)


DEFAULT_LIMITS = DatabaseLimits()


def sqlite_arguments(limits: DatabaseLimits) -> dict[str, Any]:
    """``create_async_engine`` arguments for SQLite (aiosqlite).

    Connections are pooled: opening one (a thread, the pragmas) cost about 8 ms of CPU
    per unit of work, four times the work itself; a pooled one about 2 ms.
    """
    pool_size = min(5, limits.max_connections)
    return {
        "poolclass": AsyncAdaptedQueuePool,
        "pool_size": pool_size,
        "max_overflow": limits.max_connections - pool_size,
        "pool_timeout": limits.pool_seconds,
        "connect_args": {"timeout": limits.sqlite_busy_seconds},
    }


def postgres_arguments(limits: DatabaseLimits, *, pooled: bool = True) -> dict[str, Any]:
    """``create_async_engine`` arguments for PostgreSQL (asyncpg); ``pooled=False`` for an
    engine that opens a connection per use (NullPool)."""
    server = {"idle_in_transaction_session_timeout": str(IDLE_IN_TRANSACTION_SECONDS * 1000)}
    connect: dict[str, Any] = {"timeout": limits.connect_seconds, "server_settings": server}
    if limits.statement_seconds is not None:
        server["statement_timeout"] = str(int(limits.statement_seconds * 1000))
        connect["command_timeout"] = limits.statement_seconds + CLIENT_MARGIN_SECONDS
    if not pooled:
        return {"connect_args": connect}
    pool_size = min(5, limits.max_connections)
    return {
        "pool_pre_ping": True,
        "pool_timeout": limits.pool_seconds,
        "pool_size": pool_size,
        "max_overflow": limits.max_connections - pool_size,
        "connect_args": connect,
    }
