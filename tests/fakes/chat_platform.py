"""A hand-written fake of the ``ChatPlatform`` port: people it knows, and a transcript of
everything sent (as zulip_bots' StubBotHandler records what a bot said)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.errors import UnknownUser
from bot.messages import Block, Message
from bot.platform import SentMessage, UserPage
from storage.repositories import Profile


@dataclass
class FakeChat:
    people: dict[str, Profile] = field(default_factory=dict)
    sent: list[tuple[str, Message]] = field(default_factory=list)
    homes: dict[str, tuple[Block, ...]] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)
    home_room: int | None = None

    def knows(self, user_id: str, *, admin: bool = False, tz: str = "UTC") -> FakeChat:
        self.people[user_id] = Profile(
            user_id, user_id.lower(), f"Real {user_id}", time_zone=tz, is_workspace_admin=admin
        )
        return self

    async def user_profile(self, user_id: str) -> Profile:
        self.lookups.append(user_id)
        if user_id not in self.people:
            raise UnknownUser(user_id)
        return self.people[user_id]

    async def list_users(self, cursor: str | None = None) -> UserPage:
        return UserPage(profiles=tuple(self.people.values()))

    async def open_conversation(self, user_ids: Sequence[str]) -> str:
        return "D-" + "-".join(sorted(user_ids))

    async def send(
        self, conversation: str, message: Message, *, key: str | None = None
    ) -> SentMessage:
        self.sent.append((conversation, message))
        return SentMessage(conversation, f"{len(self.sent)}.0")

    async def find_sent(self, conversation: str, key: str) -> SentMessage | None:
        return None

    async def update(self, sent: SentMessage, message: Message) -> None:
        self.sent.append((sent.conversation, message))

    async def send_ephemeral(self, conversation: str, user_id: str, message: Message) -> None:
        self.sent.append((f"{conversation}/{user_id}", message))

    async def show_home(self, user_id: str, home: Message) -> None:
        self.homes[user_id] = home.blocks
