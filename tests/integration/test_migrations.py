"""Migrations keep the data: 0002 moves a program's kind settings into JSON and back.

Each test migrates a database of its own from nothing (a SQLite file, or a PostgreSQL
database made for it), so a failure cannot leave the shared test database half-way.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine, session_factory
from storage.migrate import alembic_config, upgrade
from storage.repositories import ProgramSpec
from storage.uow import UnitOfWorkFactory
from tests.conftest import NOW, POSTGRES_REQUIRED, POSTGRES_URL, _drop_database, _recreate_database

OLD_PROGRAMS = [
    # name, kind, group_size, mentor_capacity, reoffer_missed
    ("coffee", "coffee", 3, 2, True),
    ("mentoring", "mentorship", 2, 5, False),
]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path, worker_id: str) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    base = make_url(POSTGRES_URL)
    name = f"mentorbot_migrations_{worker_id}_{os.getpid()}"
    try:
        asyncio.run(_recreate_database(base, name))
    except (OSError, asyncpg.PostgresError) as exc:
        if POSTGRES_REQUIRED:
            pytest.fail(f"PostgreSQL required but unreachable at {base}: {exc}")
        pytest.skip(f"PostgreSQL unreachable at {base}: {exc}")
    yield base.set(database=name).render_as_string(hide_password=False)
    asyncio.run(_drop_database(base, name))


@pytest.fixture
async def fresh(empty_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(empty_url)
    yield engine
    await engine.dispose()


async def _downgrade(engine: AsyncEngine, revision: str) -> None:
    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(run)


async def _old_programs(engine: AsyncEngine) -> None:
    """Programs as 0001 stored them, kind settings in columns of their own."""
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO workspaces (id, platform, external_id, name, created_at) "
                "VALUES (1, 'slack', 'T1', 'Acme', :now)"
            ),
            {"now": NOW.replace(tzinfo=None)},
        )
        for name, kind, size, capacity, reoffer in OLD_PROGRAMS:
            await connection.execute(
                text(
                    "INSERT INTO programs (workspace_id, name, kind, schedule, timezone, "
                    "group_size, mentor_capacity, checkin_after_days, join_via_channel, "
                    "reoffer_missed, active, source, created_at, updated_at) VALUES (1, "
                    ":name, :kind, 'every monday at 09:00', 'UTC', :size, :capacity, 3, "
                    ":no, :reoffer, :yes, 'config', :now, :now)"
                ),
                {
                    "name": name,
                    "kind": kind,
                    "size": size,
                    "capacity": capacity,
                    "reoffer": reoffer,
                    "yes": True,
                    "no": False,
                    "now": NOW.replace(tzinfo=None),
                },
            )


async def test_upgrading_moves_each_programs_kind_settings_into_its_settings(
    fresh: AsyncEngine,
) -> None:
    await upgrade(fresh, "0001")
    await _old_programs(fresh)

    await upgrade(fresh)

    async with UnitOfWorkFactory(session_factory(fresh))(1) as uow:
        programs = {p.name: p for p in await uow.programs.all()}
    assert dict(programs["coffee"].settings) == {
        "group_size": 3,
        "mentor_capacity": 2,
        "reoffer_missed": True,
    }
    assert dict(programs["mentoring"].settings) == {
        "group_size": 2,
        "mentor_capacity": 5,
        "reoffer_missed": False,
    }
    assert programs["mentoring"].kind == "mentorship" and programs["coffee"].source == "config"


async def test_downgrading_puts_the_columns_back_with_the_values_saved_since(
    fresh: AsyncEngine,
) -> None:
    await upgrade(fresh, "0001")
    await _old_programs(fresh)
    await upgrade(fresh)
    async with UnitOfWorkFactory(session_factory(fresh))(1) as uow:
        await uow.programs.save(
            ProgramSpec(name="coffee", settings={"group_size": 4}), now=NOW, source="slack"
        )
        await uow.programs.save(
            ProgramSpec(name="new", settings={"topics": ["Kubernetes"]}), now=NOW, source="slack"
        )
        await uow.commit()

    await _downgrade(fresh, "0001")

    async with fresh.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT name, group_size, mentor_capacity, reoffer_missed FROM programs "
                "ORDER BY name"
            )
        )
        found = [(r[0], r[1], r[2], bool(r[3])) for r in rows]
    # saving merged settings: coffee kept its other values; a new program gets defaults
    assert found == [("coffee", 4, 2, True), ("mentoring", 2, 5, False), ("new", 2, 2, False)]
    await upgrade(fresh)  # and up again
