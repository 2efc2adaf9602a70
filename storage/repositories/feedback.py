"""What people said came of their meetings: one row per person per group, written by
an upsert (a double click or two processes at once leave one answer) and read only as
totals per program."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage import orm
from storage.repositories.base import ScopedRepository


@dataclass(frozen=True, slots=True)
class FeedbackAnswer:
    """One answer, without who gave it: the round it is about and what was said."""

    round_number: int
    came_of: str | None
    rating: int | None


class FeedbackRepository(ScopedRepository):
    async def record(
        self,
        group_id: int,
        person_id: int,
        *,
        now: datetime,
        came_of: str | None = None,
        rating: int | None = None,
    ) -> None:
        """Set the person's answer for the group: ``came_of`` and/or ``rating`` (what is
        not given keeps its earlier value). Repeating it changes nothing."""
        values: dict[str, object] = {"answered_at": now}
        if came_of is not None:
            values["came_of"] = came_of
        if rating is not None:
            values["rating"] = rating
        dialect = self.session.bind.dialect.name if self.session.bind else "sqlite"
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(orm.MeetingFeedback).values(
            workspace_id=self.workspace_id, group_id=group_id, person_id=person_id, **values
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["group_id", "person_id"],
                set_={name: getattr(statement.excluded, name) for name in values},
            )
        )

    async def answered(self, group_id: int) -> int:
        """How many people of the group answered (no names)."""
        count = await self.session.scalar(
            select(func.count()).where(
                orm.MeetingFeedback.workspace_id == self.workspace_id,
                orm.MeetingFeedback.group_id == group_id,
            )
        )
        return int(count or 0)

    async def answered_in(self, group_ids: Collection[int]) -> dict[int, int]:
        """How many people of each group answered (groups nobody answered are left out)."""
        rows = await self.session.execute(
            select(orm.MeetingFeedback.group_id, func.count())
            .where(
                orm.MeetingFeedback.workspace_id == self.workspace_id,
                orm.MeetingFeedback.group_id.in_(group_ids),
            )
            .group_by(orm.MeetingFeedback.group_id)
        )
        return {group: int(count) for group, count in rows.all()}

    async def mine(self, group_id: int, person_id: int) -> tuple[str | None, int | None] | None:
        """The person's own answer (to show it back to them only)."""
        row = (
            await self.session.execute(
                select(orm.MeetingFeedback.came_of, orm.MeetingFeedback.rating).where(
                    orm.MeetingFeedback.workspace_id == self.workspace_id,
                    orm.MeetingFeedback.group_id == group_id,
                    orm.MeetingFeedback.person_id == person_id,
                )
            )
        ).first()
        return (row[0], row[1]) if row is not None else None

    async def for_program(self, program_id: int) -> list[FeedbackAnswer]:
        """Every answer about the program's meetings, oldest round first (no names)."""
        rows = await self.session.execute(
            select(orm.Round.number, orm.MeetingFeedback.came_of, orm.MeetingFeedback.rating)
            .join(orm.Group, orm.Group.id == orm.MeetingFeedback.group_id)
            .join(orm.Round, orm.Round.id == orm.Group.round_id)
            .where(
                orm.MeetingFeedback.workspace_id == self.workspace_id,
                orm.Round.program_id == program_id,
            )
            .order_by(orm.Round.number, orm.MeetingFeedback.id)
        )
        return [FeedbackAnswer(number, came_of, rating) for number, came_of, rating in rows]
