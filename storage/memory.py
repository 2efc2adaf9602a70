"""An in-memory database for the unit of work: specs of the use cases in milliseconds.

It is the real ``UnitOfWork`` over the real repositories — on SQLite in memory, one
connection for the whole life of the engine — so its semantics are the production ones
by construction (leaving a unit rolls back what was not committed; unique keys hold),
with no second implementation of sixty repository methods to keep in step. Tables come
from the ORM metadata (the migrations are checked against it by the storage suite).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import StaticPool

from storage.db import create_engine, session_factory
from storage.orm import Base
from storage.uow import UnitOfWorkFactory

MEMORY_URL = "sqlite:///:memory:"


async def memory_engine() -> AsyncEngine:
    """An engine over a fresh, empty in-memory database with every table."""
    engine = create_engine(MEMORY_URL, poolclass=StaticPool, connect_args={})
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    return engine


async def memory_units() -> tuple[AsyncEngine, UnitOfWorkFactory]:
    engine = await memory_engine()
    return engine, UnitOfWorkFactory(session_factory(engine))
