"""The audit log: who did what to a program or a person's data, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from storage import orm
from storage.repositories.base import ScopedRepository


class AuditRepository(ScopedRepository):
    async def add(
        self,
        *,
        actor: str,
        action: str,
        now: datetime,
        target: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.session.add(
            orm.AuditEntry(
                workspace_id=self.workspace_id,
                actor=actor,
                action=action,
                target=target,
                details=details or {},
                created_at=now,
            )
        )

    async def recent(self, limit: int = 50) -> list[tuple[datetime, str, str, str | None]]:
        rows = await self.session.scalars(
            select(orm.AuditEntry)
            .where(orm.AuditEntry.workspace_id == self.workspace_id)
            .order_by(orm.AuditEntry.id.desc())
            .limit(limit)
        )
        return [(row.created_at, row.actor, row.action, row.target) for row in rows]
