"""Database URLs and engines: SQLite by default, PostgreSQL in production.

Users write plain URLs (``sqlite:///mentorbot.db``, ``postgresql://user@host/db``); the
async driver is chosen here from the scheme, so the same URL works for the CLI, the
web app and Alembic.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession
from sqlalchemy.pool import NullPool, StaticPool

from storage import writers
from storage.timeouts import DEFAULT_LIMITS, DatabaseLimits, postgres_arguments, sqlite_arguments

ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
}
READ_ONLY = "mentorbot_read_only"  # execution option: this transaction never writes


class UnsupportedDatabase(ValueError):
    """The URL names a database mentorbot does not run on."""


def async_url(url: str | URL) -> URL:
    """Map a plain URL to its async driver: sqlite → aiosqlite, postgresql → asyncpg."""
    parsed = make_url(url)
    backend, _, driver = parsed.drivername.partition("+")
    if backend not in ASYNC_DRIVERS:
        raise UnsupportedDatabase(
            f"DATABASE_URL must be sqlite:/// or postgresql://, not {backend}://"
        )
    if driver in ("aiosqlite", "asyncpg"):
        return parsed
    return parsed.set(drivername=ASYNC_DRIVERS[backend])


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def redacted(url: str | URL) -> str:
    """The URL without its password, for logs and error lines."""
    return make_url(url).render_as_string(hide_password=True)


def redacted_or_raw(url: str) -> str:
    """``redacted(url)`` when it parses, else the text itself (for error messages)."""
    try:
        return redacted(url)
    except ArgumentError:
        return url


def create_engine(
    url: str | URL, *, limits: DatabaseLimits = DEFAULT_LIMITS, **kwargs: Any
) -> AsyncEngine:
    """An async engine for ``url`` that never waits without a limit (``limits``);
    SQLite gets WAL, a busy timeout and foreign keys."""
    target = async_url(url)
    if target.get_backend_name() == "sqlite":
        arguments = sqlite_arguments(limits)
        if kwargs.get("poolclass") in (NullPool, StaticPool):  # no pool sizes to set
            arguments = {"connect_args": arguments["connect_args"]}
        engine = create_async_engine(target, **(arguments | kwargs))
        busy_ms = int(limits.sqlite_busy_seconds * 1000)
        event.listen(engine.sync_engine, "connect", partial(_sqlite_pragmas, busy_ms))
        event.listen(engine.sync_engine, "begin", _sqlite_begin_immediate)
        writers.register(engine.sync_engine, limits.sqlite_busy_seconds)
        return engine
    arguments = postgres_arguments(limits, pooled=kwargs.get("poolclass") is not NullPool)
    return create_async_engine(target, **(arguments | kwargs))


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def _sqlite_pragmas(busy_ms: int, dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, open transactions (SAVEPOINT needs it) ...
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    # ... and open them IMMEDIATE: a transaction that reads and then writes would
    # otherwise fail at once ("database is locked") when another process wrote meanwhile.
    # A unit of work that only reads says so, and does not queue behind writers.
    readonly = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")
