"""``ChatPlatform`` behind the pacer: waits for a slot, honours 429, retries what is safe.

- 429 (``RateLimited``): the method is paused for the workspace for ``Retry-After`` and
  the call is made again — the platform did not act on a rate-limited call, so this is
  safe even for a send.
- 5xx and connection errors (``TransientError``): calls that are safe to repeat
  (reads, opening a conversation, updating a message) are retried here with exponential
  backoff and jitter; sending is not — the post may have landed, so the outbox decides
  (it looks for the message before posting again).
- ``PermanentError`` and ``UnknownUser`` pass straight through.

Both kinds of retry are bounded; the last error is raised.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from bot.delivery.pacer import Pacer
from bot.messages import Message
from bot.platform import ChatPlatform, Op, RateLimited, SentMessage, TransientError, UserPage
from storage.repositories import Profile

T = TypeVar("T")
MAX_RATE_LIMITED = 8
MAX_TRANSIENT = 4
BACKOFF_BASE = 1.0
BACKOFF_CAP = 30.0


class LeaseLost(Exception):
    """Another claimer owns the outbox row now; this one must not send it."""


def backoff(attempt: int, *, base: float, cap: float, rng: random.Random) -> float:
    """Exponential backoff with jitter: half fixed, half random, at most ``cap``."""
    ceiling = min(cap, base * 2.0 ** max(attempt - 1, 0))
    return float(ceiling / 2 + rng.uniform(0, ceiling / 2))


class PacedPlatform:
    """A ``ChatPlatform`` for one workspace whose calls go through that workspace's pacer."""

    def __init__(
        self,
        inner: ChatPlatform,
        pacer: Pacer,
        *,
        rng: random.Random | None = None,
        max_rate_limited: int = MAX_RATE_LIMITED,
        max_transient: int = MAX_TRANSIENT,
    ) -> None:
        self.inner = inner
        self.pacer = pacer
        self.rng = rng or random.Random()
        self.max_rate_limited = max_rate_limited
        self.max_transient = max_transient

    async def call(
        self,
        method: Op,
        make_call: Callable[[], Awaitable[T]],
        *,
        conversation: str | None = None,
        repeatable: bool = True,
        before: Callable[[], Awaitable[bool]] | None = None,
        rejected: Callable[[], Awaitable[object]] | None = None,
    ) -> T:
        """Make one platform call inside the limits.

        ``before`` runs after the slot is granted and just before the call; if it
        returns False the call is not made and ``LeaseLost`` is raised. ``rejected``
        runs when the platform turned the call away unseen (429), before it is tried again.
        """
        limited = failed = 0
        while True:
            await self.pacer.acquire(method, conversation)
            if before is not None and not await before():
                raise LeaseLost(method)
            try:
                return await make_call()
            except RateLimited as exc:
                if rejected is not None:
                    await rejected()
                self.pacer.pause(method, exc.retry_after)
                limited += 1
                if limited >= self.max_rate_limited:
                    raise
            except TransientError:
                failed += 1
                if not repeatable or failed >= self.max_transient:
                    raise
                await self.pacer.sleep(
                    backoff(failed, base=BACKOFF_BASE, cap=BACKOFF_CAP, rng=self.rng)
                )

    @property
    def home_room(self) -> int | None:
        return self.inner.home_room

    # -- ChatPlatform ---------------------------------------------------------------------
    async def user_profile(self, user_id: str) -> Profile:
        return await self.call(Op.PROFILE, lambda: self.inner.user_profile(user_id))

    async def list_users(self, cursor: str | None = None) -> UserPage:
        return await self.call(Op.LIST_USERS, lambda: self.inner.list_users(cursor))

    async def open_conversation(self, user_ids: Sequence[str]) -> str:
        # The same people give the same conversation: safe to repeat.
        return await self.call(Op.OPEN, lambda: self.inner.open_conversation(user_ids))

    async def send(
        self, conversation: str, message: Message, *, key: str | None = None
    ) -> SentMessage:
        return await self.call(
            Op.SEND,
            lambda: self.inner.send(conversation, message, key=key),
            conversation=conversation,
            repeatable=False,
        )

    async def find_sent(self, conversation: str, key: str) -> SentMessage | None:
        return await self.call(Op.FIND_SENT, lambda: self.inner.find_sent(conversation, key))

    async def update(self, sent: SentMessage, message: Message) -> None:
        await self.call(Op.UPDATE, lambda: self.inner.update(sent, message))

    async def send_ephemeral(self, conversation: str, user_id: str, message: Message) -> None:
        await self.call(
            Op.EPHEMERAL,
            lambda: self.inner.send_ephemeral(conversation, user_id, message),
            repeatable=False,
        )

    async def show_home(self, user_id: str, home: Message) -> None:
        await self.call(Op.HOME, lambda: self.inner.show_home(user_id, home))
