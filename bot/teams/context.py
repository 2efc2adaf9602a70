"""What every Teams ``ChatPlatform`` of this process shares, and what one request adds.

Conversation ids mentorbot makes up (Teams has its own for the same chats):

- ``u:<object id>`` — the bot's personal chat with that person. Teams' own id for it
  (``a:…``) is long and per bot; this one fits every column, names the person (so a
  look-up through Graph can find the chat again in any process), and is turned into
  Teams' id when something is sent (creating a personal chat returns the same one).
- ``mb-each:<hash>`` — a group introduced with one card each, in their personal chats
  (no Graph permission for a real group chat). Its members are the group's, read back
  from the round when this process did not open it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from bot.messages import Message
from bot.platform import SentMessage
from bot.teams.connector import Connector
from bot.teams.graph import Graph
from bot.teams.routes import Routes
from storage.uow import UnitOfWorkFactory

PERSONAL = "u:"
EACH = "mb-each:"


@dataclass(frozen=True)
class TeamsContext:
    app_id: str
    connector: Connector
    graph: Graph | None  # None: no Graph permissions
    routes: Routes
    uow: UnitOfWorkFactory


@dataclass
class Requester:
    """The person whose activity is being answered, as the activity describes them."""

    user_id: str
    name: str | None = None
    time_zone: str | None = None
    clicked: SentMessage | None = None  # the card they clicked, if they clicked one
    redrawn: Message | None = None  # what that card was redrawn as, to answer the click

    def is_clicked(self, sent: SentMessage) -> bool:
        clicked = self.clicked
        return (
            clicked is not None
            and clicked.message_id == sent.message_id
            and (
                clicked.conversation == sent.conversation
                or personal_user(sent.conversation) == self.user_id
            )
        )


def personal_id(user_id: str) -> str:
    return PERSONAL + user_id


def personal_user(conversation: str) -> str | None:
    return conversation[len(PERSONAL) :] if conversation.startswith(PERSONAL) else None


def each_id(user_ids: Sequence[str]) -> str:
    digest = hashlib.sha256(",".join(sorted(user_ids)).encode()).hexdigest()[:40]
    return EACH + digest


def is_group_chat(conversation: str) -> bool:
    """A group chat (``…@thread.v2``); channels are ``…@thread.tacv2`` / ``.skype``."""
    return conversation.startswith("19:") and conversation.endswith("@thread.v2")
