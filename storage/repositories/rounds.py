"""Rounds, their groups and members, who was left out, and check-in outcomes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import raiseload

from pairing.models import Outcome, PastGroup, Reason, Role
from storage import convert, orm
from storage.records import GroupRecord, RoundRecord
from storage.repositories import checkin_answers
from storage.repositories.base import ScopedRepository
from storage.repositories.round_rows import load_groups, load_rounds


class RoundExists(Exception):
    """A round for this program and slot is already stored."""


@dataclass(frozen=True, slots=True)
class NewGroup:
    members: Sequence[tuple[int, Role]]  # person id, role
    reasons: Sequence[Reason] = ()
    score: float = 0.0


class RoundRepository(ScopedRepository):
    async def latest(self, program_id: int) -> RoundRecord | None:
        rows = await self.recent(program_id, limit=1)
        return rows[0] if rows else None

    async def head(self, round_id: int) -> RoundRecord | None:
        """The round without its groups and who was left out: cheap, whatever its size."""
        row = await self.session.scalar(self._heads().where(orm.Round.id == round_id))
        return convert.round_head(row) if row is not None else None

    async def latest_head(self, program_id: int) -> RoundRecord | None:
        """``latest`` without the groups (the state, the number, when it went out)."""
        row = await self.session.scalar(
            self._heads()
            .where(orm.Round.program_id == program_id)
            .order_by(orm.Round.number.desc())
            .limit(1)
        )
        return convert.round_head(row) if row is not None else None

    async def group(self, group_id: int) -> tuple[RoundRecord, GroupRecord] | None:
        """One group with its members, and its round's head — without the round's other
        groups (a check-in click used to load every group of the round)."""
        return (await self.groups([group_id])).get(group_id)

    async def groups(self, group_ids: Sequence[int]) -> dict[int, tuple[RoundRecord, GroupRecord]]:
        """Many groups with their members and their rounds' heads, by group id."""
        return await load_groups(self.session, self.workspace_id, group_ids)

    async def place_of(
        self, round_id: int, person_id: int
    ) -> tuple[GroupRecord | None, str | None]:
        """The person's group in the round, or the reason they were left out of it."""
        group_id = await self.session.scalar(
            select(orm.GroupMember.group_id)
            .join(orm.Group, orm.Group.id == orm.GroupMember.group_id)
            .where(
                orm.Group.workspace_id == self.workspace_id,
                orm.Group.round_id == round_id,
                orm.GroupMember.person_id == person_id,
            )
        )
        if group_id is not None:
            found = await self.group(group_id)
            return (found[1] if found else None), None
        reason = await self.session.scalar(
            select(orm.LeftOut.reason).where(
                orm.LeftOut.workspace_id == self.workspace_id,
                orm.LeftOut.round_id == round_id,
                orm.LeftOut.person_id == person_id,
            )
        )
        return None, reason

    async def get(self, round_id: int) -> RoundRecord | None:
        found = await load_rounds(self.session, self.workspace_id, orm.Round.id == round_id)
        return found[0] if found else None

    async def recent(self, program_id: int, *, limit: int | None = None) -> list[RoundRecord]:
        """Rounds of a program, newest first."""
        where = orm.Round.program_id == program_id
        return await load_rounds(self.session, self.workspace_id, where, limit=limit)

    async def history(self, program_id: int) -> list[PastGroup]:
        """Every past group of the program as the engine reads it."""
        rows = await self.session.execute(
            select(orm.Round.number, orm.Group.id, orm.Group.outcome, orm.Person.platform_user_id)
            .join(orm.Group, orm.Group.round_id == orm.Round.id)
            .join(orm.GroupMember, orm.GroupMember.group_id == orm.Group.id)
            .join(orm.Person, orm.Person.id == orm.GroupMember.person_id)
            .where(orm.Round.workspace_id == self.workspace_id, orm.Round.program_id == program_id)
        )
        members: dict[int, set[str]] = defaultdict(set)
        meta: dict[int, tuple[int, Outcome | None]] = {}
        for number, group_id, outcome, user_id in rows:
            members[group_id].add(user_id)
            meta[group_id] = (number, Outcome(outcome) if outcome else None)
        return [
            PastGroup(round=meta[gid][0], members=frozenset(users), outcome=meta[gid][1])
            for gid, users in sorted(members.items())
        ]

    async def next_number(self, program_id: int) -> int:
        current = await self.session.scalar(
            select(func.max(orm.Round.number)).where(
                orm.Round.workspace_id == self.workspace_id, orm.Round.program_id == program_id
            )
        )
        return int(current or 0) + 1

    async def create(
        self,
        *,
        program_id: int,
        seed: int,
        slot: datetime,
        trigger: str,
        groups: Sequence[NewGroup],
        left_out: Sequence[tuple[int, str]],
        notes: Sequence[str],
        now: datetime,
    ) -> RoundRecord:
        """Store a formed round; RoundExists if its program and slot already have one."""
        row = orm.Round(
            workspace_id=self.workspace_id,
            program_id=program_id,
            number=await self.next_number(program_id),
            seed=seed,
            slot=slot,
            trigger=trigger,
            state="delivering",
            notes=list(notes),
            created_at=now,
        )
        try:
            async with self.session.begin_nested():
                self.session.add(row)
                await self.session.flush()
        except IntegrityError:
            raise RoundExists(f"program {program_id} already has a round at {slot}") from None
        for position, planned in enumerate(groups):
            group = orm.Group(
                workspace_id=self.workspace_id,
                round_id=row.id,
                position=position,
                reasons=[convert.reason_to_json(reason) for reason in planned.reasons],
                score=planned.score,
            )
            self.session.add(group)
            await self.session.flush()
            self.session.add_all(
                orm.GroupMember(
                    workspace_id=self.workspace_id,
                    group_id=group.id,
                    person_id=person_id,
                    role=role.value,
                )
                for person_id, role in planned.members
            )
        self.session.add_all(
            orm.LeftOut(workspace_id=self.workspace_id, round_id=row.id, person_id=pid, reason=why)
            for pid, why in left_out
        )
        await self.session.flush()
        record = await self.get(row.id)
        assert record is not None
        return record

    async def mark_delivered(self, round_id: int, *, now: datetime) -> None:
        await self._update_round(round_id, state="delivered", delivered_at=now)

    async def mark_checkin_queued(self, round_id: int, *, now: datetime) -> None:
        await self._update_round(round_id, checkin_at=now)

    async def set_conversation(self, group_id: int, conversation_id: str) -> None:
        await self.session.execute(
            update(orm.Group)
            .where(orm.Group.workspace_id == self.workspace_id, orm.Group.id == group_id)
            .values(conversation_id=conversation_id)
        )

    async def conversation_members(self, conversation_id: str) -> tuple[str, ...]:
        """The user ids of the newest group whose conversation is ``conversation_id``."""
        group_id = await self.session.scalar(
            select(orm.Group.id)
            .where(
                orm.Group.workspace_id == self.workspace_id,
                orm.Group.conversation_id == conversation_id,
            )
            .order_by(orm.Group.id.desc())
            .limit(1)
        )
        if group_id is None:
            return ()
        rows = await self.session.scalars(
            select(orm.Person.platform_user_id)
            .join(orm.GroupMember, orm.GroupMember.person_id == orm.Person.id)
            .where(orm.GroupMember.group_id == group_id)
            .order_by(orm.GroupMember.id)
        )
        return tuple(rows)

    async def record_checkin(
        self, group_id: int, person_id: int, answer: str, *, now: datetime
    ) -> str | None:
        """Store one member's answer and return the group's outcome after it
        (:mod:`storage.repositories.checkin_answers`)."""
        recorded = await self.record_checkins([(group_id, person_id, answer)], now=now)
        return recorded[group_id].outcome

    async def record_checkins(
        self, given: Sequence[checkin_answers.Given], *, now: datetime
    ) -> dict[int, checkin_answers.Recorded]:
        """Store many members' answers at once; each group's outcome and answers after."""
        return await checkin_answers.record(self.session, self.workspace_id, given, now=now)

    async def answers(self, group_id: int) -> dict[str, str]:
        """The group's check-in answers so far: user id → answer, in the order given."""
        rows = await self.session.execute(
            select(orm.Person.platform_user_id, orm.CheckinResponse.answer)
            .join(orm.CheckinResponse, orm.CheckinResponse.person_id == orm.Person.id)
            .where(
                orm.CheckinResponse.workspace_id == self.workspace_id,
                orm.CheckinResponse.group_id == group_id,
            )
            .order_by(orm.CheckinResponse.id)
        )
        return dict(rows.all())

    async def responders(self, round_id: int) -> set[int]:
        """Person ids who answered any check-in of the round."""
        rows = await self.session.scalars(
            select(orm.CheckinResponse.person_id)
            .join(orm.Group, orm.Group.id == orm.CheckinResponse.group_id)
            .where(orm.Group.workspace_id == self.workspace_id, orm.Group.round_id == round_id)
        )
        return set(rows)

    async def group_round(self, group_id: int) -> RoundRecord | None:
        round_id = await self.session.scalar(
            select(orm.Group.round_id).where(
                orm.Group.workspace_id == self.workspace_id, orm.Group.id == group_id
            )
        )
        return await self.get(round_id) if round_id is not None else None

    async def _update_round(self, round_id: int, **values: object) -> None:
        await self.session.execute(
            update(orm.Round)
            .where(orm.Round.workspace_id == self.workspace_id, orm.Round.id == round_id)
            .values(**values)
        )

    def _heads(self) -> Select[orm.Round]:
        return (
            select(orm.Round)
            .where(orm.Round.workspace_id == self.workspace_id)
            .options(raiseload(orm.Round.groups))
            .execution_options(populate_existing=True)
        )
