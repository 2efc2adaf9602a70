"""Writes that two requests can race on: ``INSERT … ON CONFLICT DO NOTHING``.

Two requests for the same new row (a double click, a double submit, two processes
starting together) both see "not there yet"; the second INSERT would then fail on the
unique key. Inserting with ``ON CONFLICT DO NOTHING`` instead waits for the first to
commit and then does nothing, so the loser goes on to read the winner's row and
answers the same. SQLite and PostgreSQL both speak it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession


async def insert_if_absent(
    session: AsyncSession, model: type[Any], values: Mapping[str, Any], keys: Sequence[str]
) -> bool:
    """Insert ``values`` unless a row with the same ``keys`` exists; True if inserted."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(model).values(**values).on_conflict_do_nothing(index_elements=list(keys))
    result = await session.execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]
