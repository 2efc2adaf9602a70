"""The delivery outbox: one row per message, claimed, sent and marked exactly once.

A row moves pending → sending → sent (or failed for good). A claim is a lease: if the
process dies while a row is "sending", the lease runs out and the next claimer takes
it over — and must first check whether the message already went out (the platform
adapter looks for the row's idempotency key on the message it posted).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, cast, func, or_, select, type_coerce, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage import convert, orm
from storage.records import OutboxRecord
from storage.repositories.base import ScopedRepository
from storage.types import UTCDateTime

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


class OutboxRepository(ScopedRepository):
    async def add(
        self,
        *,
        key: str,
        kind: str,
        payload: Mapping[str, Any],
        now: datetime,
        round_id: int | None = None,
        group_id: int | None = None,
        not_before: datetime | None = None,
    ) -> bool:
        """Queue a message; False (and nothing changes) if the key was queued before."""
        values = {
            "workspace_id": self.workspace_id,
            "idempotency_key": key,
            "kind": kind,
            "round_id": round_id,
            "group_id": group_id,
            "payload": dict(payload),
            "state": PENDING,
            "attempts": 0,
            "not_before": not_before or now,
            "result": {},
            "created_at": now,
        }
        dialect = self.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = (
            insert(orm.OutboxMessage)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["idempotency_key"])
        )
        result = await self.session.execute(statement)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def claim(
        self,
        *,
        now: datetime,
        lease: timedelta,
        limit: int = 20,
        round_id: int | None = None,
        claimer: str | None = None,
    ) -> list[OutboxRecord]:
        """Take up to ``limit`` due rows (or rows whose claimer's lease ran out).

        ``claimer`` names this process, so a process on the same host that finds the
        claimer dead can take its rows over without waiting for the lease.

        One UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) … RETURNING: two
        workers never get the same row, on PostgreSQL without waiting for each other.
        """
        due = or_(
            and_(orm.OutboxMessage.state == PENDING, orm.OutboxMessage.not_before <= now),
            and_(orm.OutboxMessage.state == SENDING, orm.OutboxMessage.claimed_until <= now),
        )
        candidates = (
            select(orm.OutboxMessage.id)
            .where(orm.OutboxMessage.workspace_id == self.workspace_id, due)
            .order_by(orm.OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if round_id is not None:
            candidates = candidates.where(orm.OutboxMessage.round_id == round_id)
        statement = (
            update(orm.OutboxMessage)
            .where(orm.OutboxMessage.id.in_(candidates.scalar_subquery()), due)
            .values(
                state=SENDING,
                attempts=orm.OutboxMessage.attempts + 1,
                claimed_until=now + lease,
                claimed_by=claimer,
            )
            .returning(orm.OutboxMessage)
            .execution_options(synchronize_session=False, populate_existing=True)
        )
        rows = await self.session.scalars(statement)
        return sorted((convert.outbox(row) for row in rows), key=lambda r: r.id)

    async def leased(self, *, now: datetime) -> list[tuple[int, int, str]]:
        """Rows being sent under a lease that still runs: (id, attempt, claimer)."""
        rows = await self.session.execute(
            select(
                orm.OutboxMessage.id, orm.OutboxMessage.attempts, orm.OutboxMessage.claimed_by
            ).where(
                orm.OutboxMessage.workspace_id == self.workspace_id,
                orm.OutboxMessage.state == SENDING,
                orm.OutboxMessage.claimed_until > now,
                orm.OutboxMessage.claimed_by.is_not(None),
            )
        )
        return [(row_id, attempt, str(claimer)) for row_id, attempt, claimer in rows]

    async def end_lease(self, row_id: int, *, attempt: int, now: datetime) -> bool:
        """End a dead claimer's lease now (``attempt`` fences a claim made meanwhile)."""
        outcome = await self.session.execute(
            update(orm.OutboxMessage)
            .where(
                orm.OutboxMessage.workspace_id == self.workspace_id,
                orm.OutboxMessage.id == row_id,
                orm.OutboxMessage.state == SENDING,
                orm.OutboxMessage.attempts == attempt,
            )
            .values(claimed_until=now)
            .execution_options(synchronize_session=False)
        )
        return bool(outcome.rowcount)  # type: ignore[attr-defined]

    async def mark_sent(self, row_id: int, *, result: Mapping[str, Any], now: datetime) -> None:
        """Done. The message body is dropped: it went out, and it names people."""
        payload = await self.session.scalar(
            select(orm.OutboxMessage.payload).where(
                orm.OutboxMessage.workspace_id == self.workspace_id,
                orm.OutboxMessage.id == row_id,
            )
        )
        kept = {k: v for k, v in (payload or {}).items() if k != "message"}
        await self._set(
            row_id, state=SENT, sent_at=now, result=dict(result), claimed_until=None, payload=kept
        )

    async def forget_user(self, user_id: str, *, replacement: str) -> int:
        """Replace ``user_id`` in every row's recipients (a person's data erased)."""
        rows = await self.session.scalars(
            select(orm.OutboxMessage).where(
                orm.OutboxMessage.workspace_id == self.workspace_id,
                cast(orm.OutboxMessage.payload, String).contains(f'"{user_id}"'),
            )
        )
        changed = 0
        for row in rows:
            users = row.payload.get("users")
            if isinstance(users, list) and user_id in users:
                row.payload = {
                    **row.payload,
                    "users": [replacement if u == user_id else u for u in users],
                }
                changed += 1
        await self.session.flush()
        return changed

    async def retry_later(
        self,
        row_id: int,
        *,
        error: str,
        not_before: datetime,
        result: Mapping[str, Any] | None = None,
    ) -> None:
        """Back to pending until ``not_before``; ``result`` replaces the row's result."""
        values: dict[str, Any] = {}
        if result is not None:
            values["result"] = dict(result)
        await self._set(
            row_id,
            state=PENDING,
            last_error=error[:2000],
            not_before=not_before,
            claimed_until=None,
            **values,
        )

    async def fail(self, row_id: int, *, error: str, now: datetime) -> None:
        await self._set(
            row_id, state=FAILED, last_error=error[:2000], sent_at=now, claimed_until=None
        )

    async def renew(
        self,
        row_id: int,
        *,
        attempt: int,
        until: datetime,
        result: Mapping[str, Any] | None = None,
    ) -> bool:
        """Extend the lease of a row this claimer still holds (``attempt`` is the fence).

        False when the lease ran out and someone else claimed the row meanwhile (its
        ``attempts`` moved on) or it is no longer "sending": the caller must not send.
        ``result`` replaces the row's result (e.g. the conversation opened so far).
        """
        values: dict[str, Any] = {"claimed_until": until}
        if result is not None:
            values["result"] = dict(result)
        outcome = await self.session.execute(
            update(orm.OutboxMessage)
            .where(
                orm.OutboxMessage.workspace_id == self.workspace_id,
                orm.OutboxMessage.id == row_id,
                orm.OutboxMessage.state == SENDING,
                orm.OutboxMessage.attempts == attempt,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(outcome.rowcount)  # type: ignore[attr-defined]

    async def release(self, key: str, *, now: datetime) -> bool:
        """Make a held pending row (queued with a far ``not_before``) due now."""
        outcome = await self.session.execute(
            update(orm.OutboxMessage)
            .where(
                orm.OutboxMessage.workspace_id == self.workspace_id,
                orm.OutboxMessage.idempotency_key == key,
                orm.OutboxMessage.state == PENDING,
                orm.OutboxMessage.not_before > now,
            )
            .values(not_before=now)
            .execution_options(synchronize_session=False)
        )
        return bool(outcome.rowcount)  # type: ignore[attr-defined]

    async def get(self, row_id: int) -> OutboxRecord | None:
        row = await self.session.scalar(
            select(orm.OutboxMessage)
            .where(
                orm.OutboxMessage.workspace_id == self.workspace_id,
                orm.OutboxMessage.id == row_id,
            )
            .execution_options(populate_existing=True)
        )
        return convert.outbox(row) if row is not None else None

    async def by_key(self, key: str) -> OutboxRecord | None:
        row = await self.session.scalar(
            select(orm.OutboxMessage)
            .where(
                orm.OutboxMessage.workspace_id == self.workspace_id,
                orm.OutboxMessage.idempotency_key == key,
            )
            .execution_options(populate_existing=True)
        )
        return convert.outbox(row) if row is not None else None

    async def for_round(self, round_id: int) -> list[OutboxRecord]:
        rows = await self.session.scalars(
            select(orm.OutboxMessage)
            .where(
                orm.OutboxMessage.workspace_id == self.workspace_id,
                orm.OutboxMessage.round_id == round_id,
            )
            .order_by(orm.OutboxMessage.id)
            .execution_options(populate_existing=True)
        )
        return [convert.outbox(row) for row in rows]

    async def counts(self, round_id: int | None = None) -> dict[str, int]:
        query = select(orm.OutboxMessage.state, func.count()).where(
            orm.OutboxMessage.workspace_id == self.workspace_id
        )
        if round_id is not None:
            query = query.where(orm.OutboxMessage.round_id == round_id)
        rows = await self.session.execute(query.group_by(orm.OutboxMessage.state))
        return {state: int(count) for state, count in rows}

    async def next_due(self, round_id: int | None = None) -> datetime | None:
        """When the earliest unfinished row may be tried again (None: nothing left)."""
        earliest = func.min(
            func.coalesce(orm.OutboxMessage.claimed_until, orm.OutboxMessage.not_before)
        )
        query = select(type_coerce(earliest, UTCDateTime())).where(
            orm.OutboxMessage.workspace_id == self.workspace_id,
            orm.OutboxMessage.state.in_((PENDING, SENDING)),
        )
        if round_id is not None:
            query = query.where(orm.OutboxMessage.round_id == round_id)
        return await self.session.scalar(query)

    async def _set(self, row_id: int, **values: Any) -> None:
        await self.session.execute(
            update(orm.OutboxMessage)
            .where(
                orm.OutboxMessage.workspace_id == self.workspace_id,
                orm.OutboxMessage.id == row_id,
            )
            .values(**values)
        )
