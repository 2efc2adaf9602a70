"""Neutral messages → Block Kit, clipped to Slack's limits so user text never breaks a post."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.messages import Actions, Block, Button, Context, Divider, Header, Message, Section

# Slack's documented limits (api.slack.com/reference/block-kit/blocks).
MAX_BLOCKS = 50
MAX_HOME_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_BUTTON_URL = 3000
MAX_CONTEXT_ELEMENTS = 10
MAX_MESSAGE_TEXT = 4000


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def message_kwargs(message: Message) -> dict[str, Any]:
    """Arguments for chat.postMessage / chat.update / chat.postEphemeral."""
    return {
        "text": clip(message.text, MAX_MESSAGE_TEXT),
        "blocks": blocks(message.blocks, limit=MAX_BLOCKS),
    }


def home_view(content: Sequence[Block]) -> dict[str, Any]:
    return {"type": "home", "blocks": blocks(content, limit=MAX_HOME_BLOCKS)}


def blocks(content: Sequence[Block], *, limit: int = MAX_BLOCKS) -> list[dict[str, Any]]:
    return [block(item) for item in content[:limit]]


def block(item: Block) -> dict[str, Any]:
    if isinstance(item, Header):
        return {"type": "header", "text": _plain(clip(item.text, MAX_HEADER_TEXT))}
    if isinstance(item, Section):
        data: dict[str, Any] = {
            "type": "section",
            "text": _mrkdwn(clip(item.text, MAX_SECTION_TEXT)),
        }
        if item.fields:
            data["fields"] = [_mrkdwn(clip(f, MAX_FIELD_TEXT)) for f in item.fields[:MAX_FIELDS]]
        if item.accessory is not None:
            data["accessory"] = button(item.accessory)
        return data
    if isinstance(item, Context):
        elements = item.elements[:MAX_CONTEXT_ELEMENTS]
        return {"type": "context", "elements": [_mrkdwn(clip(e, MAX_FIELD_TEXT)) for e in elements]}
    if isinstance(item, Divider):
        return {"type": "divider"}
    if isinstance(item, Actions):
        data = {"type": "actions", "elements": [button(b) for b in item.buttons[:25]]}
        if item.block_id:
            data["block_id"] = item.block_id
        return data
    raise TypeError(f"cannot render {item!r}")


def button(item: Button) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": "button",
        "text": _plain(clip(item.label, MAX_BUTTON_TEXT)),
        "action_id": item.action_id,
        "value": clip(item.value, MAX_BUTTON_VALUE),
    }
    if item.style:
        data["style"] = item.style
    if item.url and len(item.url) <= MAX_BUTTON_URL:  # a clipped address would be wrong
        data["url"] = item.url
    if item.confirm:
        data["confirm"] = {
            "title": _plain("Are you sure?"),
            "text": _mrkdwn(clip(item.confirm, 300)),
            "confirm": _plain(clip(item.label, 30)),
            "deny": _plain("Cancel"),
        }
    return data


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text or " ", "emoji": True}


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text or " "}
