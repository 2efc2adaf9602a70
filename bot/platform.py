"""The chat platform port. Services talk to this; Slack and Teams adapters implement it.

Errors are classified so delivery can decide without knowing the platform:
``RateLimited`` (wait ``retry_after`` and try again), ``TransientError`` (5xx,
connection trouble: back off and try again), ``PermanentError`` (this message will
never go through, e.g. the person's account is gone: record it and move on).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.messages import Block, Message
from storage.repositories import Profile


@dataclass(frozen=True, slots=True)
class SentMessage:
    """Where a message landed, enough to update it later."""

    channel: str
    ts: str


@dataclass(frozen=True, slots=True)
class UserPage:
    """One page of the platform's directory. ``gone``: deactivated accounts."""

    profiles: tuple[Profile, ...]
    gone: tuple[str, ...] = ()
    next_cursor: str | None = None


class PlatformError(Exception):
    """A call to the chat platform failed."""

    def __init__(self, message: str, *, code: str = "error") -> None:
        super().__init__(message)
        self.code = code


class RateLimited(PlatformError):
    def __init__(self, method: str, retry_after: float) -> None:
        super().__init__(f"{method} rate limited; retry after {retry_after:g}s", code="ratelimited")
        self.method = method
        self.retry_after = retry_after


class TransientError(PlatformError):
    """Worth retrying later: server errors, timeouts, dropped connections."""


class PermanentError(PlatformError):
    """Retrying will not help (user_not_found, account_inactive, channel_not_found …)."""


class ChatPlatform(Protocol):
    """What the application needs from a chat platform, for one workspace."""

    async def user_profile(self, user_id: str) -> Profile:
        """The person's profile; ``UnknownUser`` if the platform no longer knows them."""
        ...

    async def list_users(self, cursor: str | None = None) -> UserPage:
        """One page of everyone the platform knows, from ``cursor`` (None: the start)."""
        ...

    async def open_conversation(self, user_ids: Sequence[str]) -> str:
        """A conversation with exactly these people (and the bot); returns its id."""
        ...

    async def send(self, channel: str, message: Message, *, key: str | None = None) -> SentMessage:
        """Post ``message``; ``key`` is attached so ``find_sent`` can recognise it later."""
        ...

    async def find_sent(self, channel: str, key: str) -> SentMessage | None:
        """A message this bot already posted with ``key`` in ``channel``, if any."""
        ...

    async def update(self, sent: SentMessage, message: Message) -> None: ...

    async def send_ephemeral(self, channel: str, user_id: str, message: Message) -> None: ...

    async def publish_home(self, user_id: str, blocks: Sequence[Block]) -> None:
        """Show ``blocks`` on the person's home tab."""
        ...
