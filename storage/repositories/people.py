"""People as the chat platform knows them (name, title, time zone), and their erasure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from storage import convert, orm
from storage.records import PersonRecord
from storage.repositories.base import ScopedRepository
from storage.repositories.conflicts import insert_if_absent

FORMER_MEMBER = "Former member"


@dataclass(frozen=True, slots=True)
class Profile:
    """A person's profile as read from the platform (users.info), not typed by them."""

    user_id: str
    display_name: str
    real_name: str | None = None
    title: str | None = None
    time_zone: str = "UTC"
    is_workspace_admin: bool = False
    manager_user_id: str | None = None
    department: str | None = None
    team: str | None = None


class PeopleRepository(ScopedRepository):
    async def by_user_id(self, user_id: str) -> PersonRecord | None:
        row = await self._row(user_id)
        return convert.person(row) if row is not None else None

    async def by_ids(self, person_ids: list[int]) -> dict[int, PersonRecord]:
        rows = await self.session.scalars(
            select(orm.Person).where(
                orm.Person.workspace_id == self.workspace_id, orm.Person.id.in_(person_ids)
            )
        )
        return {row.id: convert.person(row) for row in rows}

    async def admins(self) -> list[str]:
        """User ids of the workspace's admins and owners still in the workspace."""
        rows = await self.session.scalars(
            select(orm.Person.platform_user_id)
            .where(
                orm.Person.workspace_id == self.workspace_id,
                orm.Person.is_workspace_admin.is_(True),
                orm.Person.deleted.is_(False),
            )
            .order_by(orm.Person.platform_user_id)
        )
        return list(rows)

    async def managers(self) -> dict[str, str | None]:
        """user id → manager's user id, for everyone in the workspace."""
        rows = await self.session.execute(
            select(orm.Person.platform_user_id, orm.Person.manager_user_id).where(
                orm.Person.workspace_id == self.workspace_id, orm.Person.deleted.is_(False)
            )
        )
        return dict(rows.all())

    async def upsert(self, profile: Profile, *, now: datetime) -> PersonRecord:
        """Create or refresh the person from their platform profile.

        ``team`` and ``department`` are only overwritten when the profile carries them,
        so what a person chose in the signup form survives a profile refresh. Two
        requests for a new person at once make one row (the second waits for the first).
        """
        row = await self._row(profile.user_id)
        if row is None:
            await insert_if_absent(
                self.session,
                orm.Person,
                {
                    "workspace_id": self.workspace_id,
                    "platform_user_id": profile.user_id,
                    "display_name": profile.display_name[:200] or profile.user_id,
                    "created_at": now,
                    "updated_at": now,
                },
                keys=("workspace_id", "platform_user_id"),
            )
            row = await self._row(profile.user_id)
            assert row is not None
        row.display_name = profile.display_name[:200] or profile.user_id
        row.real_name = _clip(profile.real_name)
        row.title = _clip(profile.title)
        row.time_zone = profile.time_zone or "UTC"
        row.is_workspace_admin = profile.is_workspace_admin
        if profile.manager_user_id is not None:
            row.manager_user_id = profile.manager_user_id
        if profile.department is not None:
            row.department = _clip(profile.department)
        if profile.team is not None:
            row.team = _clip(profile.team)
        row.deleted = False
        row.updated_at = now
        await self.session.flush()
        return convert.person(row)

    async def set_team(self, person_id: int, team: str | None, *, now: datetime) -> None:
        row = await self._by_pk(person_id)
        row.team = _clip(team)
        row.updated_at = now

    async def set_working_hours(
        self, person_id: int, start: int, end: int, *, now: datetime
    ) -> None:
        row = await self._by_pk(person_id)
        row.work_start, row.work_end, row.updated_at = start, end, now

    async def mark_gone(self, person_id: int, *, now: datetime) -> None:
        """The platform no longer knows the person: leave them out of rounds from now on.

        Their data stays (a later ``upsert`` from a fresh profile brings them back).
        """
        row = await self._by_pk(person_id)
        row.deleted = True
        row.deleted_at = row.updated_at = now
        await self.session.flush()

    async def anonymise(self, person_id: int, *, now: datetime) -> None:
        """Erase what identifies the person; their past groups stay, pointing at this husk."""
        row = await self._by_pk(person_id)
        row.platform_user_id = f"former-{row.id}"
        row.display_name = FORMER_MEMBER
        row.real_name = row.title = row.department = row.team = row.manager_user_id = None
        row.time_zone = "UTC"
        row.is_workspace_admin = False
        row.deleted = True
        row.deleted_at = row.updated_at = now
        await self.session.flush()

    async def _row(self, user_id: str) -> orm.Person | None:
        return await self.session.scalar(
            select(orm.Person).where(
                orm.Person.workspace_id == self.workspace_id,
                orm.Person.platform_user_id == user_id,
            )
        )

    async def _by_pk(self, person_id: int) -> orm.Person:
        row = await self.session.scalar(
            select(orm.Person).where(
                orm.Person.workspace_id == self.workspace_id, orm.Person.id == person_id
            )
        )
        if row is None:
            raise LookupError(f"no person {person_id} in workspace {self.workspace_id}")
        return row


def _clip(value: str | None, limit: int = 200) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value[:limit] or None
