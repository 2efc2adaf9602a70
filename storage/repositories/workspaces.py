"""Workspaces (a Slack team or a Teams tenant) — the unit every other row belongs to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage import convert, orm
from storage.records import WorkspaceRecord


class WorkspaceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, platform: str, external_id: str) -> WorkspaceRecord | None:
        row = await self.session.scalar(
            select(orm.Workspace).where(
                orm.Workspace.platform == platform, orm.Workspace.external_id == external_id
            )
        )
        return convert.workspace(row) if row is not None else None

    async def get(self, workspace_id: int) -> WorkspaceRecord | None:
        row = await self.session.get(orm.Workspace, workspace_id)
        return convert.workspace(row) if row is not None else None

    async def all(self) -> list[WorkspaceRecord]:
        rows = await self.session.scalars(select(orm.Workspace).order_by(orm.Workspace.id))
        return [convert.workspace(row) for row in rows]

    async def ensure(
        self, platform: str, external_id: str, *, name: str, now: datetime
    ) -> WorkspaceRecord:
        """The workspace, created on first sight (safe against a concurrent creator)."""
        found = await self.find(platform, external_id)
        if found is not None:
            if name and found.name != name:
                row = await self.session.get(orm.Workspace, found.id)
                assert row is not None
                row.name = name
                await self.session.flush()
                return convert.workspace(row)
            return found
        row = orm.Workspace(
            platform=platform, external_id=external_id, name=name or external_id, created_at=now
        )
        try:
            async with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            found = await self.find(platform, external_id)
            assert found is not None
            return found
        return convert.workspace(row)
