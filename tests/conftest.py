"""Shared fixtures: a migrated database per test, on SQLite and on PostgreSQL — and an
in-memory one (``memory_uow``) for fast specs of the use cases.

Tests that take ``database_url`` (directly or through ``engine``/``uow_factory``) run
twice: on a fresh SQLite file and on a PostgreSQL database of their own worker,
emptied before each test. PostgreSQL comes from $MENTORBOT_TEST_POSTGRES_URL
(default: the local server's ``test`` database); when it is unreachable those runs
are skipped — unless MENTORBOT_TEST_POSTGRES=required (CI), then they fail.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine, session_factory
from storage.memory import memory_units
from storage.migrate import upgrade
from storage.orm import Base
from storage.records import WorkspaceRecord
from storage.uow import UnitOfWorkFactory

POSTGRES_URL = os.environ.get(
    "MENTORBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
POSTGRES_REQUIRED = os.environ.get("MENTORBOT_TEST_POSTGRES", "").lower() == "required"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies (cheaper than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "mentorbot.db"
    asyncio.run(_migrate(f"sqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_url(worker_id: str) -> Iterator[str]:
    """A database of this test process's own, created and migrated once per session.

    The process id keeps concurrent test runs on one server (two checkouts, xdist
    workers) from dropping each other's database.
    """
    base = make_url(POSTGRES_URL)
    name = f"mentorbot_test_{worker_id}_{os.getpid()}"
    try:
        asyncio.run(_recreate_database(base, name))
    except (OSError, asyncpg.PostgresError) as exc:
        if POSTGRES_REQUIRED:
            pytest.fail(f"PostgreSQL required but unreachable at {base}: {exc}")
        pytest.skip(f"PostgreSQL unreachable at {base}: {exc}")
    url = base.set(database=name).render_as_string(hide_password=False)
    asyncio.run(_migrate(url))
    yield url
    asyncio.run(_drop_database(base, name))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database for one test: SQLite file or PostgreSQL database."""
    if request.param == "sqlite":
        path = tmp_path / "mentorbot.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    asyncio.run(_empty_tables(url))
    return url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def uow_factory(engine: AsyncEngine) -> UnitOfWorkFactory:
    return UnitOfWorkFactory(session_factory(engine))


@pytest.fixture
async def memory_uow() -> AsyncIterator[UnitOfWorkFactory]:
    """Units of work over an in-memory database: for fast specs of the use cases."""
    engine, units = await memory_units()
    yield units
    await engine.dispose()


@pytest.fixture
async def workspace(uow_factory: UnitOfWorkFactory) -> WorkspaceRecord:
    return await uow_factory.ensure_workspace("slack", "T0001", name="Acme", now=NOW)


@pytest.fixture(scope="session")
def worker_id(request: pytest.FixtureRequest) -> str:
    """The pytest-xdist worker name ("master" without xdist)."""
    return str(getattr(request.config, "workerinput", {}).get("workerid", "master"))


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


async def _admin(base: URL) -> asyncpg.Connection:
    return await asyncpg.connect(
        host=base.host or "127.0.0.1",
        port=base.port or 5432,
        user=base.username or "postgres",
        password=base.password,
        database=base.database or "postgres",
        timeout=5,
    )


async def _recreate_database(base: URL, name: str) -> None:
    connection = await _admin(base)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def _drop_database(base: URL, name: str) -> None:
    connection = await _admin(base)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def _empty_tables(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()
