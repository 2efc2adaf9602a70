"""Mentorships: a mentor and a mentee over a term, and every change of its state.

Changes that two clicks could race on are conditional updates (``UPDATE … WHERE state
= …``): the one that finds the row still in the expected state wins, the other learns
it changed nothing. A mentor's places are counted with the mentor's enrollment row
locked (``lock_mentor``), so two acceptances at once cannot both take the last place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update

from storage import convert, orm
from storage.records import OPEN_STATES, GoalProgress, MentorshipRecord
from storage.repositories.base import ScopedRepository


@dataclass(frozen=True, slots=True)
class NewMentorship:
    program_id: int
    mentor_id: int
    mentee_id: int
    state: str  # proposed | active
    decided_by: str  # engine | mentee | lead
    goals: Sequence[str] = ()
    started_at: datetime | None = None
    ends_at: datetime | None = None
    next_checkin_at: datetime | None = None
    group_id: int | None = None


class MentorshipRepository(ScopedRepository):
    async def create(self, new: NewMentorship, *, now: datetime) -> MentorshipRecord:
        row = orm.Mentorship(
            workspace_id=self.workspace_id,
            program_id=new.program_id,
            mentor_id=new.mentor_id,
            mentee_id=new.mentee_id,
            group_id=new.group_id,
            state=new.state,
            decided_by=new.decided_by,
            goals=[{"goal": g, "progress": "not_started"} for g in new.goals],
            term=1,
            missed_checkins=0,
            checkins=0,
            met_since_checkin=False,
            next_checkin_at=new.next_checkin_at,
            closing={},
            started_at=new.started_at,
            ends_at=new.ends_at,
            created_at=now,
            updated_at=now,
        )
        self.session.add(row)
        await self.session.flush()
        found = await self.get(row.id)
        assert found is not None
        return found

    async def get(self, mentorship_id: int) -> MentorshipRecord | None:
        row = await self.session.scalar(
            self._query()
            .where(orm.Mentorship.id == mentorship_id)
            .execution_options(populate_existing=True)
        )
        return convert.mentorship(row) if row is not None else None

    async def lock(self, mentorship_id: int) -> MentorshipRecord | None:
        """The row, locked until the transaction ends (PostgreSQL; SQLite is serial)."""
        row = await self.session.scalar(
            self._query()
            .where(orm.Mentorship.id == mentorship_id)
            .with_for_update(of=orm.Mentorship)
            .execution_options(populate_existing=True)
        )
        return convert.mentorship(row) if row is not None else None

    async def for_program(
        self, program_id: int, *, states: Iterable[str] | None = None
    ) -> list[MentorshipRecord]:
        query = self._query().where(orm.Mentorship.program_id == program_id)
        if states is not None:
            query = query.where(orm.Mentorship.state.in_(tuple(states)))
        rows = await self.session.scalars(query.order_by(orm.Mentorship.id))
        return [convert.mentorship(row) for row in rows.unique()]

    async def ended_since(self, program_id: int, since: datetime) -> bool:
        """Whether a mentorship of the program ended after ``since`` (its places are free,
        its mentee may want another mentor)."""
        query = self._query().where(
            orm.Mentorship.program_id == program_id, orm.Mentorship.ended_at > since
        )
        return await self.session.scalar(select(query.exists())) or False

    async def for_person(
        self, person_id: int, *, states: Iterable[str] | None = None
    ) -> list[MentorshipRecord]:
        query = self._query().where(
            (orm.Mentorship.mentor_id == person_id) | (orm.Mentorship.mentee_id == person_id)
        )
        if states is not None:
            query = query.where(orm.Mentorship.state.in_(tuple(states)))
        rows = await self.session.scalars(query.order_by(orm.Mentorship.id))
        return [convert.mentorship(row) for row in rows.unique()]

    async def by_group(self, group_id: int) -> MentorshipRecord | None:
        row = await self.session.scalar(
            self._query().where(orm.Mentorship.group_id == group_id).order_by(orm.Mentorship.id)
        )
        return convert.mentorship(row) if row is not None else None

    async def due_checkins(self, *, now: datetime) -> list[MentorshipRecord]:
        """Active mentorships whose next check-in is due."""
        rows = await self.session.scalars(
            self._query()
            .where(
                orm.Mentorship.state == "active",
                orm.Mentorship.next_checkin_at.is_not(None),
                orm.Mentorship.next_checkin_at <= now,
            )
            .order_by(orm.Mentorship.id)
        )
        return [convert.mentorship(row) for row in rows.unique()]

    async def due_closing(self, *, now: datetime) -> list[MentorshipRecord]:
        """Active mentorships whose term is over and whose closing card is not sent."""
        rows = await self.session.scalars(
            self._query()
            .where(
                orm.Mentorship.state == "active",
                orm.Mentorship.ends_at.is_not(None),
                orm.Mentorship.ends_at <= now,
                orm.Mentorship.closing_sent_at.is_(None),
            )
            .order_by(orm.Mentorship.id)
        )
        return [convert.mentorship(row) for row in rows.unique()]

    async def open_places_taken(self, program_id: int, mentor_id: int) -> int:
        """How many mentees the mentor has now (active or proposed) in the program."""
        count = await self.session.scalar(
            select(func.count(orm.Mentorship.id)).where(
                orm.Mentorship.workspace_id == self.workspace_id,
                orm.Mentorship.program_id == program_id,
                orm.Mentorship.mentor_id == mentor_id,
                orm.Mentorship.state.in_(OPEN_STATES),
            )
        )
        return int(count or 0)

    async def lock_mentor(self, program_id: int, mentor_id: int) -> None:
        """Serialise changes to one mentor's places: their enrollment row, locked."""
        await self.lock_people(program_id, [mentor_id])

    async def lock_people(self, program_id: int, person_ids: Sequence[int]) -> None:
        """Lock the enrollment rows of ``person_ids`` in the program (in id order, so two
        transactions locking the same people cannot deadlock)."""
        await self.session.execute(
            select(orm.Enrollment.id)
            .where(
                orm.Enrollment.workspace_id == self.workspace_id,
                orm.Enrollment.program_id == program_id,
                orm.Enrollment.person_id.in_(sorted(set(person_ids))),
            )
            .order_by(orm.Enrollment.id)
            .with_for_update()
        )

    async def transition(
        self, mentorship_id: int, *, from_states: Iterable[str], now: datetime, **values: Any
    ) -> bool:
        """Set ``values`` only if the row is still in one of ``from_states``: True when
        this call changed it (a second click at once finds it changed and gets False)."""
        result = await self.session.execute(
            update(orm.Mentorship)
            .where(
                orm.Mentorship.workspace_id == self.workspace_id,
                orm.Mentorship.id == mentorship_id,
                orm.Mentorship.state.in_(tuple(from_states)),
            )
            .values(updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    async def set_goals(
        self, mentorship_id: int, goals: Sequence[GoalProgress], *, now: datetime
    ) -> None:
        await self.update(
            mentorship_id,
            now=now,
            goals=[{"goal": g.goal, "progress": g.progress} for g in goals],
        )

    async def update(self, mentorship_id: int, *, now: datetime, **values: Any) -> None:
        await self.session.execute(
            update(orm.Mentorship)
            .where(
                orm.Mentorship.workspace_id == self.workspace_id,
                orm.Mentorship.id == mentorship_id,
            )
            .values(updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )

    def _query(self) -> Select[orm.Mentorship]:
        return select(orm.Mentorship).where(orm.Mentorship.workspace_id == self.workspace_id)
