"""Check-in answers, stored many at once: a burst of clicks in one transaction.

One "met" makes a group met; otherwise any "could not" makes it not met; "not yet"
leaves the outcome open. The groups' rows are locked first (in id order, so two batches
cannot deadlock), so answers to one group — a double click, two members at once, in
one batch or in two — are counted one after another and none is lost. A member who
answers again changes their answer (one row per member and group).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from pairing.models import Outcome
from storage import orm

Given = tuple[int, int, str]  # group id, person id, answer


@dataclass(frozen=True, slots=True)
class Recorded:
    """A group after the answers: its outcome, and every answer so far (user id →
    answer, in the order given)."""

    outcome: str | None
    answers: dict[str, str]


def outcome_of(answers: Iterable[str]) -> str | None:
    given = set(answers)
    if "met" in given:
        return Outcome.MET.value
    return Outcome.NOT_MET.value if "could_not" in given else None


async def record(
    session: AsyncSession, workspace_id: int, given: Sequence[Given], *, now: datetime
) -> dict[int, Recorded]:
    """Store the answers; each group's outcome and answers after them, by group id."""
    latest = {(group, person): answer for group, person, answer in given}  # the last wins
    groups = sorted({group for group, _ in latest})
    in_workspace = orm.Group.workspace_id == workspace_id
    await session.execute(
        select(orm.Group.id)
        .where(in_workspace, orm.Group.id.in_(groups))
        .order_by(orm.Group.id)
        .with_for_update()
    )
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [
        {
            "workspace_id": workspace_id,
            "group_id": group,
            "person_id": person,
            "answer": answer,
            "answered_at": now,
        }
        for (group, person), answer in latest.items()
    ]
    statement = insert(orm.CheckinResponse).values(rows)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["group_id", "person_id"],
            set_={
                "answer": statement.excluded.answer,
                "answered_at": statement.excluded.answered_at,
            },
        )
    )
    answers = await _answers(session, workspace_id, groups)
    recorded = {g: Recorded(outcome_of(answers[g].values()), answers[g]) for g in groups}
    by_outcome: dict[str | None, list[int]] = defaultdict(list)
    for group, result in recorded.items():
        by_outcome[result.outcome].append(group)
    for outcome, ids in by_outcome.items():
        await session.execute(
            update(orm.Group)
            .where(in_workspace, orm.Group.id.in_(ids))
            .values(outcome=outcome, outcome_at=now if outcome else None)
            .execution_options(synchronize_session=False)
        )
    return recorded


async def _answers(
    session: AsyncSession, workspace_id: int, groups: Sequence[int]
) -> dict[int, dict[str, str]]:
    rows = await session.execute(
        select(
            orm.CheckinResponse.group_id, orm.Person.platform_user_id, orm.CheckinResponse.answer
        )
        .join(orm.Person, orm.Person.id == orm.CheckinResponse.person_id)
        .where(
            orm.CheckinResponse.workspace_id == workspace_id,
            orm.CheckinResponse.group_id.in_(groups),
        )
        .order_by(orm.CheckinResponse.id)
    )
    found: dict[int, dict[str, str]] = defaultdict(dict)
    for group, user_id, answer in rows:
        found[group][user_id] = answer
    return found
