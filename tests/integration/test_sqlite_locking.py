"""The embedded SQLite database under concurrent writers and readers."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import create_engine, session_factory
from storage.uow import UnitOfWorkFactory


@pytest.fixture
def path(sqlite_template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "db.sqlite"
    copy.write_bytes(sqlite_template.read_bytes())
    return copy


async def test_a_read_only_unit_of_work_never_waits_for_a_writer(path: Path) -> None:
    writer_engine, reader_engine = (
        create_engine(f"sqlite:///{path}"),
        create_engine(f"sqlite:///{path}"),
    )
    factory = UnitOfWorkFactory(session_factory(reader_engine))
    try:
        async with writer_engine.connect() as writer:
            await writer.execute(text("UPDATE workspaces SET name = name"))  # holds the write lock

            async def read() -> list[object]:
                async with factory(1, read_only=True) as uow:
                    return list(await uow.programs.all())

            # A unit of work that may write would wait here (BEGIN IMMEDIATE, 30 s timeout).
            assert await asyncio.wait_for(read(), timeout=10) == []

            await writer.rollback()
    finally:
        await writer_engine.dispose()
        await reader_engine.dispose()
