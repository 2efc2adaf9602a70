"""Routes: small facts a platform adapter must remember about a workspace across restarts
(where its API is served for this tenant, where a person's home card is)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage import orm
from storage.repositories.base import ScopedRepository

MAX_KEY = 200


class RoutesRepository(ScopedRepository):
    async def get(self, kind: str, key: str = "") -> dict[str, Any] | None:
        row = await self.session.scalar(
            select(orm.WorkspaceRoute).where(
                orm.WorkspaceRoute.workspace_id == self.workspace_id,
                orm.WorkspaceRoute.kind == kind,
                orm.WorkspaceRoute.key == key[:MAX_KEY],
            )
        )
        return dict(row.value) if row is not None else None

    async def put(self, kind: str, key: str, value: dict[str, Any], *, now: datetime) -> None:
        """Set (or replace) the route; two processes doing it at once both succeed."""
        dialect = self.session.bind.dialect.name if self.session.bind else "sqlite"
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(orm.WorkspaceRoute).values(
            workspace_id=self.workspace_id,
            kind=kind,
            key=key[:MAX_KEY],
            value=value,
            updated_at=now,
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["workspace_id", "kind", "key"],
                set_={
                    "value": statement.excluded.value,
                    "updated_at": statement.excluded.updated_at,
                },
            )
        )
