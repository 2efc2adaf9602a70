"""Enrollments: a person in a program, with role, interests, goals, capacity and pauses."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.exc import IntegrityError

from pairing.models import Role
from storage import convert, orm
from storage.records import EnrollmentRecord
from storage.repositories.base import ScopedRepository

# The same answers again this soon after joining are the same signup (a double click, a
# retried request): they get the same "you're in" as the first.
REPEAT_WINDOW = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class EnrollmentForm:
    """What a person chose in the signup form."""

    role: Role = Role.PEER
    interests: Sequence[str] = ()
    skills: Sequence[str] = ()
    goals: Sequence[str] = ()
    capacity: int | None = None
    preferences: dict[str, Any] = field(default_factory=dict)


class EnrollmentRepository(ScopedRepository):
    async def get(self, program_id: int, person_id: int) -> EnrollmentRecord | None:
        row = await self._row(program_id, person_id)
        return convert.enrollment(row) if row is not None else None

    async def for_person(
        self, person_id: int, *, include_left: bool = False
    ) -> list[EnrollmentRecord]:
        query = self._query().where(orm.Enrollment.person_id == person_id)
        if not include_left:
            query = query.where(orm.Enrollment.left_at.is_(None))
        rows = await self.session.scalars(query.order_by(orm.Enrollment.program_id))
        return [convert.enrollment(row) for row in rows]

    async def for_program(
        self, program_id: int, *, include_left: bool = False
    ) -> list[EnrollmentRecord]:
        query = self._query().where(orm.Enrollment.program_id == program_id)
        if not include_left:
            query = query.where(orm.Enrollment.left_at.is_(None))
        rows = await self.session.scalars(query.order_by(orm.Enrollment.id))
        return [convert.enrollment(row) for row in rows]

    async def changed_since(self, program_id: int, since: datetime | None) -> bool:
        """Whether anyone joined, came back or edited their answers after ``since`` (ever,
        for None) and is taking part (a pause is no change that could make a match)."""
        query = self._query().where(
            orm.Enrollment.program_id == program_id,
            orm.Enrollment.left_at.is_(None),
            orm.Enrollment.paused.is_(False),
        )
        if since is not None:
            query = query.where(orm.Enrollment.updated_at > since)
        return await self.session.scalar(select(query.exists())) or False

    async def available(self, program_id: int, *, now: datetime) -> list[EnrollmentRecord]:
        """Members who can be matched at ``now``: enrolled, not paused, still known."""
        return [
            record
            for record in await self.for_program(program_id)
            if record.is_active(now) and not record.person.deleted
        ]

    async def save(
        self, program_id: int, person_id: int, form: EnrollmentForm, *, now: datetime
    ) -> tuple[EnrollmentRecord, bool]:
        """Enroll, or edit the existing enrollment (re-joining if they had left).

        Returns the record and whether it is new. The unique (program, person) key makes
        a duplicate impossible even when two submissions race; the loser of that race,
        and a repeat of the same answers just after joining, count as new as well, so
        both copies of a double submit answer the same.
        """
        row = await self._row(program_id, person_id)
        created = row is None or row.left_at is not None or _repeat(row, form, now)
        if row is None:
            row = orm.Enrollment(
                workspace_id=self.workspace_id,
                program_id=program_id,
                person_id=person_id,
                joined_at=now,
            )
            try:
                async with self.session.begin_nested():
                    self._apply(row, form, now)
                    self.session.add(row)
            except IntegrityError:  # the same signup, a moment earlier
                row = await self._row(program_id, person_id)
                assert row is not None
        if row.left_at is not None:
            row.left_at, row.joined_at, row.paused, row.paused_until = None, now, False, None
        self._apply(row, form, now)
        await self.session.flush()
        await self.session.refresh(row)
        return convert.enrollment(row), created

    async def pause(self, enrollment_id: int, *, until: datetime | None, now: datetime) -> None:
        await self._set(enrollment_id, now, paused=True, paused_until=until)

    async def resume(self, enrollment_id: int, *, now: datetime) -> None:
        await self._set(enrollment_id, now, paused=False, paused_until=None, missed_checkins=0)

    async def leave(self, enrollment_id: int, *, now: datetime) -> None:
        """Out of future rounds, and the profile they gave us erased."""
        await self._set(
            enrollment_id,
            now,
            left_at=now,
            paused=False,
            paused_until=None,
            interests=[],
            skills=[],
            goals=[],
            preferences={},
            capacity=None,
        )

    async def set_missed_checkins(self, enrollment_id: int, count: int, *, now: datetime) -> None:
        await self._set(enrollment_id, now, missed_checkins=count)

    async def clear_missed_checkins(
        self, program_id: int, person_ids: Collection[int], *, now: datetime
    ) -> None:
        """These people answered a check-in: their counts of unanswered ones start again
        (one statement, which writes nothing where a count is already 0)."""
        await self.session.execute(
            update(orm.Enrollment)
            .where(
                orm.Enrollment.workspace_id == self.workspace_id,
                orm.Enrollment.program_id == program_id,
                orm.Enrollment.person_id.in_(person_ids),
                orm.Enrollment.missed_checkins > 0,
            )
            .values(updated_at=now, missed_checkins=0)
            .execution_options(synchronize_session=False)
        )

    async def _set(self, enrollment_id: int, now: datetime, **values: Any) -> None:
        await self.session.execute(
            update(orm.Enrollment)
            .where(
                orm.Enrollment.workspace_id == self.workspace_id,
                orm.Enrollment.id == enrollment_id,
            )
            .values(updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        self.session.expire_all()

    def _apply(self, row: orm.Enrollment, form: EnrollmentForm, now: datetime) -> None:
        row.role = form.role.value
        row.interests = list(form.interests)
        row.skills = list(form.skills)
        row.goals = list(form.goals)
        row.capacity = form.capacity
        row.preferences = dict(form.preferences)
        row.updated_at = now

    def _query(self) -> Select[orm.Enrollment]:
        return select(orm.Enrollment).where(orm.Enrollment.workspace_id == self.workspace_id)

    async def _row(self, program_id: int, person_id: int) -> orm.Enrollment | None:
        return await self.session.scalar(
            self._query().where(
                orm.Enrollment.program_id == program_id, orm.Enrollment.person_id == person_id
            )
        )


def _repeat(row: orm.Enrollment, form: EnrollmentForm, now: datetime) -> bool:
    """The enrollment was made moments ago with exactly these answers."""
    return (
        row.left_at is None
        and row.joined_at >= now - REPEAT_WINDOW
        and (row.role, row.interests, row.skills, row.goals, row.capacity, row.preferences)
        == (
            form.role.value,
            list(form.interests),
            list(form.skills),
            list(form.goals),
            form.capacity,
            dict(form.preferences),
        )
    )
