"""Whole rounds read as plain rows: the rounds, their groups, members and who was left
out in four queries, never as ORM objects.

Reports read every round of a program (``stats``, ``history``, impact): a year of weekly
rounds of 400 people is thousands of groups and members. Built as ORM objects (identity
map, instance state, a selectin load per level) that took most of the web process's
CPU in ``bench/load_bench.py`` — the leads' reports held up everyone else's requests.
The records are the same as before (``storage.convert``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from pairing.models import Role
from storage import convert, orm
from storage.records import GroupMemberRecord, GroupRecord, LeftOutRecord, RoundRecord

_PEOPLE = orm.Person.__table__


async def load_rounds(
    session: AsyncSession,
    workspace_id: int,
    where: ColumnElement[bool],
    *,
    limit: int | None = None,
) -> list[RoundRecord]:
    """The rounds of the workspace that match ``where``, newest first, whole."""
    heads = (
        await session.execute(
            select(orm.Round.__table__)
            .where(orm.Round.workspace_id == workspace_id, where)
            .order_by(orm.Round.number.desc())
            .limit(limit)
        )
    ).all()
    if not heads:
        return []
    ids = [head.id for head in heads]
    groups = await _groups(session, workspace_id, orm.Group.round_id.in_(ids))
    left = await _left_out(session, workspace_id, ids)
    return [
        convert.round_head(head, groups=tuple(groups[head.id]), left_out=tuple(left[head.id]))
        for head in heads
    ]


async def load_groups(
    session: AsyncSession, workspace_id: int, group_ids: Sequence[int]
) -> dict[int, tuple[RoundRecord, GroupRecord]]:
    """Groups with their members, and each one's round (its head: no other groups), by
    group id; ids of no group of the workspace are left out."""
    groups = await _groups(session, workspace_id, orm.Group.id.in_(group_ids))
    heads = await session.execute(
        select(orm.Round.__table__).where(
            orm.Round.workspace_id == workspace_id, orm.Round.id.in_(list(groups))
        )
    )
    found = {}
    for head in heads:
        round_ = convert.round_head(head)
        found.update({group.id: (round_, group) for group in groups[head.id]})
    return found


async def _groups(
    session: AsyncSession, workspace_id: int, which: ColumnElement[bool]
) -> dict[int, list[GroupRecord]]:
    """The groups (``which``) with their members, by round id."""
    members: dict[int, list[GroupMemberRecord]] = defaultdict(list)
    rows = await session.execute(
        select(orm.GroupMember.group_id.label("in_group"), orm.GroupMember.role.label("as_role"))
        .add_columns(*_PEOPLE.columns)
        .join(orm.Person, orm.Person.id == orm.GroupMember.person_id)
        .join(orm.Group, orm.Group.id == orm.GroupMember.group_id)
        .where(orm.Group.workspace_id == workspace_id, which)
        .order_by(orm.GroupMember.id)
    )
    for row in rows:
        members[row.in_group].append(GroupMemberRecord(convert.person(row), Role(row.as_role)))
    found: dict[int, list[GroupRecord]] = defaultdict(list)
    rows = await session.execute(
        select(orm.Group.__table__)
        .where(orm.Group.workspace_id == workspace_id, which)
        .order_by(orm.Group.round_id, orm.Group.position)
    )
    for row in rows:
        found[row.round_id].append(convert.group(row, members=tuple(members[row.id])))
    return found


async def _left_out(
    session: AsyncSession, workspace_id: int, round_ids: Sequence[int]
) -> dict[int, list[LeftOutRecord]]:
    rows: Any = await session.execute(
        select(orm.LeftOut.round_id.label("of_round"), orm.LeftOut.reason.label("why"))
        .add_columns(*_PEOPLE.columns)
        .join(orm.Person, orm.Person.id == orm.LeftOut.person_id)
        .where(orm.LeftOut.workspace_id == workspace_id, orm.LeftOut.round_id.in_(round_ids))
        .order_by(orm.LeftOut.id)
    )
    found: dict[int, list[LeftOutRecord]] = defaultdict(list)
    for row in rows:
        found[row.of_round].append(LeftOutRecord(convert.person(row), row.why))
    return found
