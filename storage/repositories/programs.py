"""Programs: a scheme of some kind with its channel, schedule, time zone and settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from storage import convert, orm
from storage.records import ProgramRecord
from storage.repositories.base import ScopedRepository


@dataclass(frozen=True, slots=True)
class ProgramSpec:
    """The editable fields of a program (from the TOML file or the lead's form).

    ``settings`` are the kind's own settings (``bot.kinds`` declares them); saving merges
    them into the stored ones, so a setting no form shows is kept.
    """

    name: str
    kind: str = "coffee"
    schedule: str = "every monday at 09:00"
    timezone: str = "UTC"
    channel_id: str | None = None
    checkin_after_days: int = 3
    join_via_channel: bool = False
    active: bool = True
    settings: Mapping[str, Any] = field(default_factory=dict, hash=False)


class ProgramRepository(ScopedRepository):
    async def all(self, *, active_only: bool = False) -> list[ProgramRecord]:
        query = select(orm.Program).where(orm.Program.workspace_id == self.workspace_id)
        if active_only:
            query = query.where(orm.Program.active.is_(True))
        rows = await self.session.scalars(query.order_by(orm.Program.name))
        return [convert.program(row) for row in rows]

    async def get(self, program_id: int) -> ProgramRecord | None:
        row = await self._row(orm.Program.id == program_id)
        return convert.program(row) if row is not None else None

    async def by_name(self, name: str) -> ProgramRecord | None:
        rows = await self.session.scalars(
            select(orm.Program).where(orm.Program.workspace_id == self.workspace_id)
        )
        wanted = name.strip().casefold()
        for row in rows:
            if row.name.casefold() == wanted:
                return convert.program(row)
        return None

    async def by_channel(self, channel_id: str) -> list[ProgramRecord]:
        rows = await self.session.scalars(
            select(orm.Program).where(
                orm.Program.workspace_id == self.workspace_id,
                orm.Program.channel_id == channel_id,
                orm.Program.active.is_(True),
            )
        )
        return [convert.program(row) for row in rows]

    async def lock(self, program_id: int) -> ProgramRecord | None:
        """Lock the program row until the transaction ends (SELECT … FOR UPDATE).

        Serialises "look at the latest round, maybe form a new one" between processes on
        PostgreSQL; SQLite's write transactions (BEGIN IMMEDIATE) are serial already.
        """
        row = await self.session.scalar(
            select(orm.Program)
            .where(orm.Program.workspace_id == self.workspace_id, orm.Program.id == program_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return convert.program(row) if row is not None else None

    async def lock_names(self) -> None:
        """Hold the workspace's program names until the transaction ends.

        Names are unique ignoring case, which the unique key alone cannot promise, and
        "is the name free? then create it" must not run twice at once: two creates of
        one name would both find it free. PostgreSQL locks the workspace row (FOR NO KEY
        UPDATE, so inserts elsewhere that reference the workspace do not wait); SQLite's
        write transactions are serial already.
        """
        await self.session.execute(
            select(orm.Workspace.id)
            .where(orm.Workspace.id == self.workspace_id)
            .with_for_update(key_share=True)
        )

    async def save(
        self, spec: ProgramSpec, *, now: datetime, source: str, program_id: int | None = None
    ) -> ProgramRecord:
        """Create the program, or update ``program_id`` (or the one with the same name)."""
        if program_id is not None:
            row = await self._row(orm.Program.id == program_id)
            if row is None:
                raise LookupError(f"no program {program_id} in workspace {self.workspace_id}")
        else:
            existing = await self.by_name(spec.name)
            row = await self._row(orm.Program.id == existing.id) if existing else None
        if row is None:
            row = orm.Program(workspace_id=self.workspace_id, created_at=now, source=source)
            self.session.add(row)
        for key, value in asdict(spec).items():
            if key == "settings":
                value = {**(row.settings or {}), **value}
            setattr(row, key, value)
        row.updated_at = now
        await self.session.flush()
        return convert.program(row)

    async def _row(self, *conditions: object) -> orm.Program | None:
        return await self.session.scalar(
            select(orm.Program).where(orm.Program.workspace_id == self.workspace_id, *conditions)  # type: ignore[arg-type]
        )
