"""Sends one claimed outbox row, exactly once.

A row's payload says where it goes — ``{"channel": …}`` (a conversation known already:
a program's channel, a group's conversation) or ``{"users": [...]}`` (a conversation with
exactly those people, opened first) — and what: ``{"message": Message.to_dict()}``. The
steps, each safe to repeat after a crash:

1. Open the conversation (same people, same conversation) and remember it on the row.
2. If an earlier try got as far as posting (the row says ``posting``), that post may
   have landed: look for the row's key in the conversation; if it is there, mark the
   row sent. A try that the platform turned away (429) never counts as posting, so rate
   limits alone never cost a look-up. ``posting`` holds the time the post started
   while no answer to it was seen: a claimer that died mid-post (taken over at once,
   or with a lease shorter than a call can take) may have a post still on its way,
   so until the platform's call timeout plus ``SETTLE_MARGIN`` after that start a post
   that is not there yet is looked for again later instead of being posted a second
   time.
3. Renew the lease — only if this claimer still holds the row (``attempts`` fences
   it) — and mark the row ``posting`` in the same write, then post with the key
   attached, and mark the row sent.

A kill at any point leaves the row "sending" with a lease that runs out; the next claimer
repeats from step 1 and step 2 finds a message that did go out. If the workspace will
not let us read the conversation (a missing permission …), the message is posted again:
a rare duplicate after a crash is better than an introduction that never arrives.
A permanent error for the person (``account_inactive`` …) marks the row failed with the
reason; the round goes on.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.clock import Clock
from bot.delivery.paced import LeaseLost, PacedPlatform, backoff
from bot.messages import Message
from bot.platform import Op, PermanentError, PlatformError, RateLimited, SentMessage
from storage.records import OutboxRecord
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

POSTING = "posting"  # in a row's result: a post was started and may have landed
CALL_TIMEOUT = timedelta(seconds=30)  # the platform clients' default (settings)
# A post in flight has landed or failed this long after its client gave up on it.
SETTLE_MARGIN = timedelta(seconds=5)
LEASE = timedelta(seconds=60)  # more than a call can take (CALL_TIMEOUT)
ROW_BACKOFF_BASE = 2.0
ROW_BACKOFF_CAP = 300.0


class Result(StrEnum):
    SENT = "sent"
    FAILED = "failed"
    RETRY = "retry"
    LOST = "lost"  # another claimer took the row over


def to_channel(channel: str, message: Message) -> dict[str, Any]:
    return {"channel": channel, "message": message.to_dict()}


def to_people(user_ids: list[str] | tuple[str, ...], message: Message) -> dict[str, Any]:
    return {"users": list(user_ids), "message": message.to_dict()}


class OutboxSender:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        workspace_id: int,
        platform: PacedPlatform,
        *,
        clock: Clock,
        lease: timedelta = LEASE,
        call_timeout: timedelta = CALL_TIMEOUT,
        rng: random.Random | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        self.workspace_id = workspace_id
        self.platform = platform
        self.clock = clock
        self.lease = lease
        self.settle = call_timeout + SETTLE_MARGIN
        self.rng = rng or random.Random()

    async def send(self, row: OutboxRecord) -> Result:
        posted = False  # this try started a post (so an error means it was answered)
        settled: dict[str, Any] = {}
        try:
            channel = await self._channel(row)
            if row.result.get(POSTING):
                found = await self._find(channel, row)
                if found is not None:
                    log.info("outbox %s: already posted before (%s)", row.key, found.message_id)
                    await self._sent(row, found)
                    return Result.SENT
                on_its_way = _in_flight_until(row.result[POSTING], self.settle)
                if on_its_way is not None and on_its_way > self.clock():
                    log.info(
                        "outbox %s: an earlier post may still land; looking again at %s",
                        row.key,
                        on_its_way.isoformat(),
                    )
                    await self._look_again(row, on_its_way)
                    return Result.RETRY
            message = Message.from_dict(row.payload["message"])
            settled = {k: v for k, v in row.result.items() if k != POSTING} | {"channel": channel}

            async def starting() -> bool:
                nonlocal posted
                started = self.clock().isoformat()
                posted = await self._renew(row, result={**settled, POSTING: started})
                return posted

            async def rejected() -> None:
                nonlocal posted
                posted = False
                await self._renew(row, result=settled)

            sent = await self.platform.call(
                Op.SEND,
                lambda: self.platform.inner.send(channel, message, key=row.key),
                conversation=channel,
                repeatable=False,
                before=starting,
                rejected=rejected,
            )
        except LeaseLost:
            log.warning("outbox %s: lease lost to another claimer; not sending", row.key)
            return Result.LOST
        except PermanentError as exc:
            log.warning("outbox %s: cannot be delivered: %s", row.key, exc)
            await self._fail(row, exc)
            return Result.FAILED
        except PlatformError as exc:
            # Our post was answered: it may have landed, but nothing is on its way.
            await self._retry(row, exc, result={**settled, POSTING: True} if posted else None)
            return Result.RETRY
        await self._sent(row, sent)
        return Result.SENT

    async def _find(self, channel: str, row: OutboxRecord) -> SentMessage | None:
        try:
            return await self.platform.find_sent(channel, row.key)
        except PermanentError as exc:
            log.warning("outbox %s: cannot check whether it went out (%s); posting", row.key, exc)
            return None

    async def _channel(self, row: OutboxRecord) -> str:
        known = row.result.get("channel") or row.payload.get("channel")
        if known:
            return str(known)
        channel = await self.platform.open_conversation(row.payload["users"])
        if not await self._renew(row, result={**row.result, "channel": channel}):
            raise LeaseLost(Op.OPEN)
        if row.group_id is not None and row.kind == "intro":
            async with self.uow_factory(self.workspace_id) as uow:
                await uow.rounds.set_conversation(row.group_id, channel)
                await uow.commit()
        return channel

    async def _renew(self, row: OutboxRecord, result: dict[str, Any] | None = None) -> bool:
        async with self.uow_factory(self.workspace_id) as uow:
            held = await uow.outbox.renew(
                row.id, attempt=row.attempts, until=self.clock() + self.lease, result=result
            )
            await uow.commit()
        return held

    async def _sent(self, row: OutboxRecord, sent: SentMessage) -> None:
        result = {k: v for k, v in row.result.items() if k != POSTING}
        result |= {"channel": sent.conversation, "message_id": sent.message_id}

        async with self.uow_factory(self.workspace_id) as uow:
            await uow.outbox.mark_sent(row.id, result=result, now=self.clock())
            if row.group_id is not None and row.kind == "intro":
                await uow.rounds.set_conversation(row.group_id, sent.conversation)
            await uow.commit()

    async def _fail(self, row: OutboxRecord, exc: PlatformError) -> None:
        async with self.uow_factory(self.workspace_id) as uow:
            await uow.outbox.fail(row.id, error=str(exc), now=self.clock())
            await uow.commit()

    async def _retry(
        self, row: OutboxRecord, exc: PlatformError, *, result: dict[str, Any] | None = None
    ) -> None:
        if isinstance(exc, RateLimited):
            delay = exc.retry_after
        else:
            delay = backoff(row.attempts, base=ROW_BACKOFF_BASE, cap=ROW_BACKOFF_CAP, rng=self.rng)
        log.info("outbox %s: %s; trying again in %.1fs", row.key, exc, delay)
        not_before = self.clock() + timedelta(seconds=delay)
        async with self.uow_factory(self.workspace_id) as uow:
            await uow.outbox.retry_later(
                row.id, error=str(exc), not_before=not_before, result=result
            )
            await uow.commit()

    async def _look_again(self, row: OutboxRecord, when: datetime) -> None:
        """Back to pending until ``when``, still marked as posting (nothing is sent)."""
        async with self.uow_factory(self.workspace_id) as uow:
            await uow.outbox.retry_later(
                row.id, error="an earlier post may still be on its way", not_before=when
            )
            await uow.commit()


def _in_flight_until(posting: object, settle: timedelta) -> datetime | None:
    """Until when a post started at ``posting`` (an ISO time) may still land; None when
    its answer was seen or the time is unknown (a legacy ``True``)."""
    if not isinstance(posting, str):
        return None
    try:
        started = datetime.fromisoformat(posting)
    except ValueError:
        return None
    return started + settle
