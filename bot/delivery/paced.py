"""``ChatPlatform`` behind the pacer: waits for a slot, honours 429, retries what is safe.

- 429 (``RateLimited``): the method is paused for the workspace for ``Retry-After`` and
  the call is made again — Slack did not act on a rate-limited call, so this is safe
  even for ``chat.postMessage``.
- 5xx and connection errors (``TransientError``): calls that are safe to repeat
  (reads, ``conversations.open``, ``chat.update``) are retried here with exponential
  backoff and jitter; ``chat.postMessage`` is not — the post may have landed, so the
  outbox decides (it looks for the message before posting again).
- ``PermanentError`` and ``UnknownUser`` pass straight through.

Both kinds of retry are bounded; the last error is raised.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from bot.delivery.pacer import Pacer
from bot.messages import Block, Message
from bot.platform import ChatPlatform, RateLimited, SentMessage, TransientError, UserPage
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
        method: str,
        make_call: Callable[[], Awaitable[T]],
        *,
        channel: str | None = None,
        repeatable: bool = True,
        before: Callable[[], Awaitable[bool]] | None = None,
        rejected: Callable[[], Awaitable[object]] | None = None,
    ) -> T:
        """Make one platform call inside the limits.

        ``before`` runs after the slot is granted and just before the call; if it
        returns False the call is not made and ``LeaseLost`` is raised. ``rejected``
        runs when Slack turned the call away unseen (429), before it is tried again.
        """
        limited = failed = 0
        while True:
            await self.pacer.acquire(method, channel)
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

    # -- ChatPlatform ---------------------------------------------------------------------
    async def user_profile(self, user_id: str) -> Profile:
        return await self.call("users.info", lambda: self.inner.user_profile(user_id))

    async def list_users(self, cursor: str | None = None) -> UserPage:
        return await self.call("users.list", lambda: self.inner.list_users(cursor))

    async def open_conversation(self, user_ids: Sequence[str]) -> str:
        # Slack answers with the same conversation for the same people: safe to repeat.
        return await self.call("conversations.open", lambda: self.inner.open_conversation(user_ids))

    async def send(self, channel: str, message: Message, *, key: str | None = None) -> SentMessage:
        return await self.call(
            "chat.postMessage",
            lambda: self.inner.send(channel, message, key=key),
            channel=channel,
            repeatable=False,
        )

    async def find_sent(self, channel: str, key: str) -> SentMessage | None:
        return await self.call("conversations.history", lambda: self.inner.find_sent(channel, key))

    async def update(self, sent: SentMessage, message: Message) -> None:
        await self.call("chat.update", lambda: self.inner.update(sent, message))

    async def send_ephemeral(self, channel: str, user_id: str, message: Message) -> None:
        await self.call(
            "chat.postEphemeral",
            lambda: self.inner.send_ephemeral(channel, user_id, message),
            repeatable=False,
        )

    async def publish_home(self, user_id: str, blocks: Sequence[Block]) -> None:
        await self.call("views.publish", lambda: self.inner.publish_home(user_id, blocks))
