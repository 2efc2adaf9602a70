"""Reading an inbound Bot Framework activity: the few fields mentorbot acts on, read
tolerantly (Teams adds fields over time) but strictly typed once read.

A body that is not a JSON object, or lacks what every activity has (a type, a
``serviceUrl``, a conversation), is a ``BadActivity`` (answered with 400). Everything
else is optional and defaults to "absent".
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any

MAX_ID = 512
MAX_TEXT = 2000
_TAGS = re.compile(r"<[^>]{0,200}>")
_MENTION = re.compile(r"<at[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)


class BadActivity(ValueError):
    """The body is not an activity mentorbot can read; the message says why."""


@dataclass(frozen=True, slots=True)
class Member:
    id: str  # the per-bot id (29:… for people, 28:… for bots)
    aad_id: str | None  # the person's Entra object id


@dataclass(frozen=True, slots=True)
class Activity:
    type: str
    name: str | None
    id: str | None
    service_url: str
    channel_id: str
    tenant_id: str | None
    conversation_id: str
    conversation_type: str  # "personal" | "groupChat" | "channel"
    sender: Member | None
    sender_name: str | None
    recipient_id: str | None  # the bot (28:…)
    text: str
    value: Any
    reply_to: str | None
    time_zone: str | None  # IANA, as the Teams client reports it
    team_id: str | None
    channel_name: str | None  # "Team › channel", for picking a program's channel
    event_type: str | None
    members_added: tuple[Member, ...]
    members_removed: tuple[Member, ...]

    @property
    def user_id(self) -> str | None:
        """Who acted, by Entra object id (mentorbot's id for a person on Teams)."""
        return self.sender.aad_id if self.sender is not None else None

    @property
    def personal(self) -> bool:
        return self.conversation_type == "personal"


def read(body: bytes) -> Activity:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadActivity("the body is not JSON") from None
    if not isinstance(data, dict):
        raise BadActivity("an activity is a JSON object")
    return parse(data)


def parse(data: dict[str, Any]) -> Activity:
    conversation = _dict(data, "conversation")
    channel_data = _dict(data, "channelData")
    recipient = _dict(data, "recipient")
    sender = _member(data.get("from"))
    recipient_id = _str(recipient.get("id"))
    return Activity(
        type=_required(data, "type"),
        name=_str(data.get("name")),
        id=_str(data.get("id")),
        service_url=_required(data, "serviceUrl"),
        channel_id=_str(data.get("channelId")) or "",
        tenant_id=_str(conversation.get("tenantId"))
        or _str(_dict(channel_data, "tenant").get("id")),
        conversation_id=_required(conversation, "id", "conversation.id"),
        conversation_type=_str(conversation.get("conversationType")) or "personal",
        sender=sender,
        sender_name=_str(_dict(data, "from").get("name")),
        recipient_id=recipient_id,
        text=_command_text(data, recipient_id),
        value=data.get("value"),
        reply_to=_str(data.get("replyToId")),
        time_zone=_time_zone(data),
        team_id=_str(_dict(channel_data, "team").get("id")),
        channel_name=_channel_name(channel_data),
        event_type=_str(channel_data.get("eventType")),
        members_added=_members(data.get("membersAdded")),
        members_removed=_members(data.get("membersRemoved")),
    )


def _command_text(data: dict[str, Any], bot_id: str | None) -> str:
    """The text typed, without the bot's @mention, markup or HTML entities."""
    text = data.get("text")
    if not isinstance(text, str):
        return ""
    text = text[: MAX_TEXT * 2]
    for entity in data.get("entities") or []:
        if not isinstance(entity, dict) or entity.get("type") != "mention":
            continue
        mentioned = entity.get("mentioned")
        mentioned = mentioned if isinstance(mentioned, dict) else {}
        shown = entity.get("text")
        if isinstance(shown, str) and shown and (bot_id is None or mentioned.get("id") == bot_id):
            text = text.replace(shown, " ")
    text = _MENTION.sub(" ", text) if text.lstrip().lower().startswith("<at") else text
    text = html.unescape(_TAGS.sub(" ", text))
    return " ".join(text.split())[:MAX_TEXT]


def _channel_name(channel_data: dict[str, Any]) -> str | None:
    team = _str(_dict(channel_data, "team").get("name"))
    channel = _str(_dict(channel_data, "channel").get("name")) or ("General" if team else None)
    return f"{team} › {channel}"[:120] if team and channel else channel


def _time_zone(data: dict[str, Any]) -> str | None:
    for entity in data.get("entities") or []:
        if isinstance(entity, dict) and entity.get("type") == "clientInfo":
            found = _str(entity.get("timezone"))
            if found:
                return found[:64]
    found = _str(data.get("localTimezone"))
    return found[:64] if found else None


def _member(value: Any) -> Member | None:
    if not isinstance(value, dict):
        return None
    member_id = _str(value.get("id"))
    if member_id is None:
        return None
    return Member(member_id, _str(value.get("aadObjectId")))


def _members(value: Any) -> tuple[Member, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(m for m in (_member(v) for v in value[:500]) if m is not None)


def _dict(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str | None:
    if isinstance(value, str) and value.strip() and len(value) <= MAX_ID:
        return value.strip()
    return None


def _required(data: dict[str, Any], key: str, name: str | None = None) -> str:
    value = _str(data.get(key))
    if value is None:
        raise BadActivity(f"an activity needs {name or key}")
    return value
