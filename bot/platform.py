"""The chat platform port. Services talk to this; each platform adapter implements it.

It speaks of people, conversations and messages — never of one platform's ids or
methods. A "home" is whatever the platform offers a person as their own page of
mentorbot (Slack's App Home tab, a card kept up to date in a personal chat elsewhere).

Errors are classified so delivery can decide without knowing the platform:
``RateLimited`` (wait ``retry_after`` and try again), ``TransientError`` (5xx,
connection trouble: back off and try again), ``PermanentError`` (this message will
never go through, e.g. the person's account is gone: record it and move on).

Every call is one of the neutral operations in ``Op``; the pacer keeps each operation
inside the limits the adapter declares for it (``RateLimits``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from bot.messages import Message
from storage.repositories import Profile


class Op(StrEnum):
    """What a platform call does, whatever the platform calls it."""

    PROFILE = "profile"  # read one person's profile
    LIST_USERS = "list_users"  # one page of the directory
    OPEN = "open_conversation"  # a conversation with exactly these people
    SEND = "send"  # post a message
    UPDATE = "update"  # redraw a message in place
    FIND_SENT = "find_sent"  # look up a message the bot posted (exactly-once recovery)
    EPHEMERAL = "send_ephemeral"  # a message only one person sees
    HOME = "show_home"  # the person's home


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``calls`` starts in any ``per``-second window."""

    calls: int
    per: float  # seconds

    @property
    def per_minute(self) -> float:
        return self.calls * 60 / self.per

    def shortened(self, speedup: float) -> Limit:
        """The same number of calls in a window ``speedup`` times shorter (simulators)."""
        return Limit(self.calls, self.per / speedup)


@dataclass(frozen=True, slots=True)
class RateLimits:
    """A platform's documented limits, per workspace and per conversation.

    An operation missing from ``per_workspace`` is not paced (it still honours 429s).
    ``per_conversation`` applies on top, for calls aimed at one conversation.
    """

    per_workspace: Mapping[Op, Limit] = field(default_factory=dict)
    per_conversation: Mapping[Op, Limit] = field(default_factory=dict)

    def shortened(self, speedup: float) -> RateLimits:
        return RateLimits(
            {op: limit.shortened(speedup) for op, limit in self.per_workspace.items()},
            {op: limit.shortened(speedup) for op, limit in self.per_conversation.items()},
        )


@dataclass(frozen=True, slots=True)
class SentMessage:
    """Where a message landed, enough to update it later."""

    conversation: str
    message_id: str


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
    def __init__(self, operation: str, retry_after: float) -> None:
        super().__init__(
            f"{operation} rate limited; retry after {retry_after:g}s", code="ratelimited"
        )
        self.operation = operation
        self.retry_after = retry_after


class TransientError(PlatformError):
    """Worth retrying later: server errors, timeouts, dropped connections."""


class PermanentError(PlatformError):
    """Retrying will not help (the person is gone, the conversation archived …)."""


class ChatPlatform(Protocol):
    """What the application needs from a chat platform, for one workspace.

    ``home_room``: how many blocks a person's home can show (None: no limit), so the
    home is fitted to it rather than cut off where the platform stops drawing.
    """

    @property
    def home_room(self) -> int | None: ...

    async def user_profile(self, user_id: str) -> Profile:
        """The person's profile; ``UnknownUser`` if the platform no longer knows them."""
        ...

    async def list_users(self, cursor: str | None = None) -> UserPage:
        """One page of everyone the platform knows, from ``cursor`` (None: the start)."""
        ...

    async def open_conversation(self, user_ids: Sequence[str]) -> str:
        """A conversation with exactly these people (and the bot); returns its id."""
        ...

    async def send(
        self, conversation: str, message: Message, *, key: str | None = None
    ) -> SentMessage:
        """Post ``message``; ``key`` is attached so ``find_sent`` can recognise it later."""
        ...

    async def find_sent(self, conversation: str, key: str) -> SentMessage | None:
        """A message this bot already posted with ``key`` there, if any (None also when
        the platform cannot tell: the caller then decides whether to post again)."""
        ...

    async def update(self, sent: SentMessage, message: Message) -> None: ...

    async def send_ephemeral(self, conversation: str, user_id: str, message: Message) -> None:
        """A message in ``conversation`` that only ``user_id`` sees."""
        ...

    async def show_home(self, user_id: str, home: Message) -> None:
        """Show ``home`` as the person's own page of mentorbot, replacing the last one."""
        ...
