"""What the simulated Microsoft holds for one tenant: people (as Graph and the Bot
Connector describe them), teams with their channels, and every conversation the bot is
in — personal chats, group chats created through Graph, channels — with the activities
posted there, so a test or the demo can read back exactly what people would see."""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

KEY_PREFIX = "mentorbot-key:"  # how mentorbot marks a card with its outbox key


@dataclass
class SimulatedUser:
    aad_id: str
    name: str
    given_name: str = ""
    surname: str = ""
    upn: str = ""
    job_title: str | None = None
    department: str | None = None
    manager: str | None = None  # the manager's aad id
    mailbox_time_zone: str | None = "UTC"  # as Graph's mailboxSettings gives it (Windows)
    client_time_zone: str = "UTC"  # IANA, as the Teams client reports it on activities
    enabled: bool = True
    admin: bool = False  # holds a directory role that makes them a Teams admin
    blocked_bot: bool = False  # has blocked the bot: posts to them are refused (403)

    @property
    def bot_id(self) -> str:
        """The user's id as this bot sees it (``29:…``, per bot)."""
        return "29:" + hashlib.sha256(self.aad_id.encode()).hexdigest()[:40]


@dataclass
class Posted:
    id: str
    activity: dict[str, Any]
    updates: int = 0
    from_user: str | None = None  # None: posted by the bot

    @property
    def card(self) -> dict[str, Any] | None:
        for attachment in self.activity.get("attachments") or []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                content = attachment.get("content")
                return content if isinstance(content, dict) else None
        return None

    @property
    def key(self) -> str | None:
        """The outbox key mentorbot marked the card with, if any."""
        text = json.dumps(self.card or {})
        start = text.find(KEY_PREFIX)
        if start < 0:
            return None
        end = text.find('"', start)
        return text[start + len(KEY_PREFIX) : end]

    def texts(self) -> list[str]:
        """Every text shown on the card (or the message's text), in order."""
        found: list[str] = []
        if self.activity.get("text"):
            found.append(str(self.activity["text"]))
        _collect_texts(self.card or {}, found)
        return found


@dataclass
class Conversation:
    id: str
    kind: str  # "personal" | "groupChat" | "channel"
    members: frozenset[str]
    graph_id: str | None = None  # the same chat's id in Graph
    topic: str | None = None
    team_id: str | None = None
    app_installed: bool = True
    messages: list[Posted] = field(default_factory=list)

    def from_bot(self) -> list[Posted]:
        return [m for m in self.messages if m.from_user is None]


@dataclass
class Team:
    id: str  # also the id of its General channel
    name: str
    members: set[str] = field(default_factory=set)
    channels: dict[str, str] = field(default_factory=dict)  # id → name


class SimulatedTenant:
    def __init__(self, tenant_id: str, app_id: str) -> None:
        self.tenant_id = tenant_id
        self.app_id = app_id
        self.catalog_app_id = "catalog-" + hashlib.sha256(app_id.encode()).hexdigest()[:12]
        self.users: dict[str, SimulatedUser] = {}
        self.teams: dict[str, Team] = {}
        self.conversations: dict[str, Conversation] = {}
        self.installed_for: set[str] = set()  # people with the app in their personal scope
        self._ids = itertools.count(1_700_000_000_000)

    def add_user(self, user: SimulatedUser, *, installed: bool = True) -> SimulatedUser:
        self.users[user.aad_id] = user
        if installed:
            self.installed_for.add(user.aad_id)
        return user

    def add_team(self, team_id: str, name: str, members: set[str]) -> Team:
        team = self.teams[team_id] = Team(team_id, name, set(members))
        self.add_channel(team_id, "General", team_id=team_id)
        return team

    def add_channel(self, channel_id: str, name: str, *, team_id: str) -> Conversation:
        team = self.teams[team_id]
        team.channels[channel_id] = name
        return self.conversations.setdefault(
            channel_id, Conversation(channel_id, "channel", frozenset(), team_id=team_id)
        )

    def next_id(self) -> str:
        return str(next(self._ids))

    def personal(self, aad_id: str) -> Conversation:
        """The bot's 1:1 chat with ``aad_id`` (the same one however often it is created)."""
        digest = hashlib.sha256(f"{self.app_id}:{aad_id}".encode()).hexdigest()
        conversation_id = "a:1" + digest[:60]
        found = self.conversations.get(conversation_id)
        if found is None:
            graph_id = f"19:{aad_id}_{self.app_id}@unq.gbl.spaces"
            found = Conversation(conversation_id, "personal", frozenset({aad_id}), graph_id)
            self.conversations[conversation_id] = found
        return found

    def conversation(self, conversation_id: str) -> Conversation | None:
        found = self.conversations.get(conversation_id)
        if found is not None:
            return found
        return next((c for c in self.conversations.values() if c.graph_id == conversation_id), None)

    def group_chats(self) -> list[Conversation]:
        return [c for c in self.conversations.values() if c.kind == "groupChat"]

    def messages_to(self, aad_id: str) -> list[Posted]:
        """What the bot posted in ``aad_id``'s personal chat."""
        return self.personal(aad_id).from_bot()


def _collect_texts(node: Any, found: list[str]) -> None:
    if isinstance(node, dict):
        if node.get("type") in ("TextBlock", "TextRun") and node.get("text"):
            found.append(str(node["text"]))
        for key, value in node.items():
            if key != "text":
                _collect_texts(value, found)
    elif isinstance(node, list):
        for item in node:
            _collect_texts(item, found)
