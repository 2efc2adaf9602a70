"""Chat platforms as plug-ins: what an adapter package offers, and the registry of them.

A platform adapter (``bot/slack/``, ``bot/teams/``, ``bot/memory/``) is registered in the
composition root with ONE line: its ``PlatformPlugin``. The plug-in says when the
platform is configured and creates the adapter (importing the platform's SDK only
then). The adapter gives the core everything platform-specific:

- ``chat(workspace)``: the ``ChatPlatform`` for one of its workspaces;
- ``limits``: its documented rate limits, by neutral operation, for the pacer;
- ``mount(app)``: its inbound endpoints on the web app;
- ``background()``: what it runs beside requests (e.g. Slack's Socket Mode);
- ``start()``: what it does when a process starts (e.g. learn the bot's own workspace);
- ``stop()``: what it closes when the process ends (clients, work still in hand);
- ``default_workspace()``: the workspace a CLI command acts on when none is named.

Which adapter serves a workspace is the workspace row's ``platform`` column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn, Protocol

from bot.errors import MentorbotError
from bot.messages import Message
from bot.platform import ChatPlatform, PermanentError, RateLimits, SentMessage, UserPage
from storage.records import WorkspaceRecord
from storage.repositories import Profile

if TYPE_CHECKING:
    from fastapi import FastAPI

    from bot.config import Settings
    from bot.core import Core


class Background(Protocol):
    """Something a process runs beside requests (the clock, the delivery worker …)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class PlatformAdapter(Protocol):
    name: str  # the ``workspaces.platform`` value it serves
    limits: RateLimits

    async def chat(self, workspace: WorkspaceRecord, *, retry: bool = True) -> ChatPlatform:
        """The workspace's platform. ``retry=False`` for the delivery outbox, which
        retries through its own pacer and must never repeat a post blindly."""
        ...

    def mount(self, app: FastAPI) -> None: ...

    def background(self) -> list[Background]: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def default_workspace(self) -> WorkspaceRecord | None:
        """The workspace a command acts on when none is named (None: cannot tell)."""
        ...


@dataclass(frozen=True, slots=True)
class PlatformPlugin:
    """One registration line in the composition root."""

    name: str
    configured: Callable[[Settings], bool]
    create: Callable[[Core], PlatformAdapter]


class PlatformNotServed(MentorbotError):
    def __init__(self, platform: str) -> None:
        super().__init__(f"this server does not serve {platform} (it is not configured here)")
        self.platform = platform


class Platforms:
    """The configured adapters of this process, by platform name."""

    def __init__(self) -> None:
        self._adapters: dict[str, PlatformAdapter] = {}

    def add(self, adapter: PlatformAdapter) -> None:
        if adapter.name in self._adapters:
            raise ValueError(f"platform {adapter.name!r} is registered twice")
        self._adapters[adapter.name] = adapter

    def __iter__(self) -> Iterator[PlatformAdapter]:
        return iter(list(self._adapters.values()))

    def __contains__(self, name: object) -> bool:
        return name in self._adapters

    def __len__(self) -> int:
        return len(self._adapters)

    def get(self, name: str) -> PlatformAdapter:
        try:
            return self._adapters[name]
        except KeyError:
            raise PlatformNotServed(name) from None

    def names(self) -> tuple[str, ...]:
        return tuple(self._adapters)

    async def chat(self, workspace: WorkspaceRecord, *, retry: bool = True) -> ChatPlatform:
        return await self.get(workspace.platform).chat(workspace, retry=retry)

    def limits(self, workspace: WorkspaceRecord) -> RateLimits:
        return self.get(workspace.platform).limits


class Unreachable:
    """The ``ChatPlatform`` of a workspace this process cannot talk to (its platform is
    not configured here, or not installed): reading its data needs no chat, and any
    call says plainly why it cannot be made."""

    home_room: int | None = None

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def _refuse(self) -> NoReturn:
        raise PermanentError(self.reason, code="unreachable")

    async def user_profile(self, user_id: str) -> Profile:
        self._refuse()

    async def list_users(self, cursor: str | None = None) -> UserPage:
        self._refuse()

    async def open_conversation(self, user_ids: Sequence[str]) -> str:
        self._refuse()

    async def send(
        self, conversation: str, message: Message, *, key: str | None = None
    ) -> SentMessage:
        self._refuse()

    async def find_sent(self, conversation: str, key: str) -> SentMessage | None:
        self._refuse()

    async def update(self, sent: SentMessage, message: Message) -> None:
        self._refuse()

    async def send_ephemeral(self, conversation: str, user_id: str, message: Message) -> None:
        self._refuse()

    async def show_home(self, user_id: str, home: Message) -> None:
        self._refuse()
