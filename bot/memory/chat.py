"""``ChatPlatform`` over a world kept in memory: a directory of people per workspace and
every conversation's messages, each with the key it was sent with — so the outbox's
exactly-once look-up (``find_sent``) works here as it does on Slack."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.errors import UnknownUser
from bot.messages import Message
from bot.platform import PermanentError, SentMessage, UserPage
from storage.repositories import Profile

PAGE = 200


@dataclass
class Posted:
    id: str
    message: Message
    key: str | None = None
    only_for: str | None = None  # an ephemeral message's one reader


@dataclass
class Conversation:
    id: str
    members: frozenset[str]
    messages: list[Posted] = field(default_factory=list)


@dataclass
class MemoryWorkspace:
    """One workspace of the in-memory platform."""

    external_id: str
    people: dict[str, Profile] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)
    conversations: dict[str, Conversation] = field(default_factory=dict)
    homes: dict[str, Message] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def conversation(self, conversation_id: str) -> Conversation:
        found = self.conversations.get(conversation_id)
        if found is None:
            raise PermanentError(f"no conversation {conversation_id}", code="not_found")
        return found

    def add_channel(self, channel_id: str, members: Sequence[str] = ()) -> Conversation:
        return self.conversations.setdefault(
            channel_id, Conversation(channel_id, frozenset(members))
        )

    def next_id(self) -> str:
        return str(next(self._ids))


class MemoryChat:
    home_room: int | None = None

    def __init__(self, workspace: MemoryWorkspace) -> None:
        self.workspace = workspace

    async def user_profile(self, user_id: str) -> Profile:
        if user_id in self.workspace.gone or user_id not in self.workspace.people:
            raise UnknownUser(user_id)
        return self.workspace.people[user_id]

    async def list_users(self, cursor: str | None = None) -> UserPage:
        everyone = sorted(self.workspace.people)
        start = int(cursor or 0)
        page = everyone[start : start + PAGE]
        following = start + PAGE
        return UserPage(
            profiles=tuple(self.workspace.people[u] for u in page if u not in self.workspace.gone),
            gone=tuple(u for u in page if u in self.workspace.gone),
            next_cursor=str(following) if following < len(everyone) else None,
        )

    async def open_conversation(self, user_ids: Sequence[str]) -> str:
        members = frozenset(user_ids)
        for person in members:
            await self.user_profile(person)
        conversation_id = "D-" + "-".join(sorted(members))
        self.workspace.conversations.setdefault(
            conversation_id, Conversation(conversation_id, members)
        )
        return conversation_id

    async def send(
        self, conversation: str, message: Message, *, key: str | None = None
    ) -> SentMessage:
        posted = Posted(self.workspace.next_id(), message, key)
        self.workspace.conversation(conversation).messages.append(posted)
        return SentMessage(conversation, posted.id)

    async def find_sent(self, conversation: str, key: str) -> SentMessage | None:
        for posted in self.workspace.conversation(conversation).messages:
            if posted.key == key:
                return SentMessage(conversation, posted.id)
        return None

    async def update(self, sent: SentMessage, message: Message) -> None:
        for posted in self.workspace.conversation(sent.conversation).messages:
            if posted.id == sent.message_id:
                posted.message = message
                return
        raise PermanentError(f"no message {sent.message_id}", code="not_found")

    async def send_ephemeral(self, conversation: str, user_id: str, message: Message) -> None:
        posted = Posted(self.workspace.next_id(), message, only_for=user_id)
        self.workspace.conversation(conversation).messages.append(posted)

    async def show_home(self, user_id: str, home: Message) -> None:
        self.workspace.homes[user_id] = home
