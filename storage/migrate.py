"""Apply Alembic migrations programmatically (`mentorbot db upgrade`, and `serve` on SQLite)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine
from storage.timeouts import DEFAULT_LIMITS

MIGRATIONS = Path(__file__).with_name("migrations")
# Any constant works; it keeps two processes from migrating PostgreSQL at the same time.
MIGRATION_LOCK_KEY = 0x6D656E746F72


def alembic_config(url: str = "") -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` inside one transaction.

    On PostgreSQL over a connection of its own without the statement timeout: a
    migration of a large table may rightly take longer than any request should.
    """
    if engine.dialect.name != "postgresql":
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade, revision)
        return
    migrating = create_engine(engine.url, limits=DEFAULT_LIMITS.without_statement_limit())
    try:
        async with migrating.begin() as connection:
            await connection.run_sync(_upgrade, revision)
    finally:
        await migrating.dispose()


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _upgrade(connection: Connection, revision: str) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
