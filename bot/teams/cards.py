"""Neutral messages as Adaptive Cards (version 1.5, as Teams shows them), inside the
activity the Bot Connector posts.

- A header is a large bold line; a section its lines of text (and its fields side by
  side); a context line is small and subtle; a divider separates what follows.
- A button is a Universal Action (``Action.Execute``, verb = the button's id, data =
  ``{"action_id", "value"}``): its click arrives as an ``adaptiveCard/action`` invoke and
  the answer redraws the card in place. A button with a ``url`` opens it; a button that
  asks to confirm first shows the question with the real button under it; a button that
  opens a form opens a dialog (``task/fetch``).
- ``key`` (the outbox key) rides along as the id of an invisible element, so a look-up
  of the conversation through Graph can recognise a message that did go out.
- ``refresh`` makes the card ask for itself again whenever it is shown (Teams' automatic
  refresh): the home card is never seen stale.

Cards are clipped to Teams' size limit (about 28 KB a message): trailing elements give
way to a note, so a long report never makes the post fail.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.builders.actions import EDIT_PROGRAM, NEW_PROGRAM, OPEN_SIGNUP
from bot.messages import Actions, Block, Button, Context, Divider, Header, Message, Section
from bot.teams.markdown import card_text, plain

CARD = "application/vnd.microsoft.card.adaptive"
VERSION = "1.5"
KEY_PREFIX = "mentorbot-key:"
MAX_CARD_BYTES = 24_000
MAX_TEXT = 4000
MAX_TITLE = 75
MAX_SUMMARY = 200
STYLES = {"primary": "positive", "danger": "destructive"}
FORM_BUTTONS = frozenset({OPEN_SIGNUP, NEW_PROGRAM, EDIT_PROGRAM})
SHORTENED = "… (shortened to fit Teams; see the dashboard for the rest)"


def activity(
    message: Message,
    *,
    key: str | None = None,
    refresh: dict[str, Any] | None = None,
    home: bool = False,
    extra: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """The Bot Framework message activity that shows ``message``. ``home``: its buttons
    say they were clicked on the home card; ``extra``: elements added at the end."""
    content = card(message, key=key, refresh=refresh, home=home, extra=extra)
    return {
        "type": "message",
        "summary": plain(message.text)[:MAX_SUMMARY],
        "attachments": [{"contentType": CARD, "content": content}],
    }


def form_activity(card: dict[str, Any]) -> dict[str, Any]:
    """A ready card (a form) as a message activity."""
    return {"type": "message", "attachments": [{"contentType": CARD, "content": card}]}


def card(
    message: Message,
    *,
    key: str | None = None,
    refresh: dict[str, Any] | None = None,
    home: bool = False,
    extra: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    body = elements(message.blocks or (Section(message.text),))
    body.extend(extra)
    if home:
        _mark_home(body)
    if key is not None:
        body.append({"type": "TextBlock", "id": KEY_PREFIX + key, "text": " ", "isVisible": False})
    result: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": VERSION,
        "msteams": {"width": "Full"},
        "body": body,
    }
    if refresh is not None:
        result["refresh"] = refresh
    return _fitted(result)


def elements(blocks: Sequence[Block]) -> list[dict[str, Any]]:
    body: list[dict[str, Any]] = []
    separate = False
    for block in blocks:
        if isinstance(block, Divider):
            separate = True
            continue
        rendered = element(block)
        if separate and rendered:
            rendered[0]["separator"] = True
            rendered[0]["spacing"] = "Medium"
            separate = False
        body.extend(rendered)
    return body


def element(block: Block) -> list[dict[str, Any]]:
    if isinstance(block, Header):
        return [_text(block.text, size="Large", weight="Bolder")]
    if isinstance(block, Section):
        items: list[dict[str, Any]] = [_lines(block.text)]
        if block.fields:
            items.append(_fields(block.fields))
        if block.accessory is not None:
            items.append({"type": "ActionSet", "actions": [action(block.accessory)]})
        return items
    if isinstance(block, Context):
        return [_text(" · ".join(block.elements), size="Small", subtle=True)]
    if isinstance(block, Actions):
        return [{"type": "ActionSet", "actions": [action(b) for b in block.buttons[:6]]}]
    return []


def action(button: Button) -> dict[str, Any]:
    title = plain(button.label)[:MAX_TITLE] or " "
    if button.url:
        return {"type": "Action.OpenUrl", "title": title, "url": button.url}
    if button.action_id in FORM_BUTTONS:  # opens a dialog (bot.teams.dialogs)
        data = {"msteams": {"type": "task/fetch"}, "action_id": button.action_id}
        return {"type": "Action.Submit", "title": title, "data": {**data, "value": button.value}}
    execute: dict[str, Any] = {
        "type": "Action.Execute",
        "title": title,
        "verb": button.action_id,
        "data": {"action_id": button.action_id, "value": button.value},
    }
    if button.style in STYLES:
        execute["style"] = STYLES[button.style]
    if not button.confirm:
        return execute
    question = {
        "type": "AdaptiveCard",
        "version": VERSION,
        "body": [_text(button.confirm)],
        "actions": [execute],
    }
    return {"type": "Action.ShowCard", "title": title, "card": question}


def _lines(text: str) -> dict[str, Any]:
    """A section's text, one TextBlock per line (Teams collapses single line breaks)."""
    blocks: list[dict[str, Any]] = []
    gap = False
    for line in text[:MAX_TEXT].split("\n"):
        if not line.strip():
            gap = True
            continue
        block = _text(line)
        if blocks:
            block["spacing"] = "Medium" if gap else "None"
        blocks.append(block)
        gap = False
    return {"type": "Container", "items": blocks or [_text(" ")]}


def _fields(fields: Sequence[str]) -> dict[str, Any]:
    columns = [{"type": "Column", "width": "stretch", "items": [_lines(f)]} for f in fields[:10]]
    return {"type": "ColumnSet", "columns": columns}


def _text(
    text: str, *, size: str | None = None, weight: str | None = None, subtle: bool = False
) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "TextBlock", "text": card_text(text) or " ", "wrap": True}
    if size:
        block["size"] = size
    if weight:
        block["weight"] = weight
    if subtle:
        block["isSubtle"] = True
    return block


def note(text: str) -> dict[str, Any]:
    """A small line of explanation (e.g. added by the adapter to an introduction)."""
    return _text(text, size="Small", subtle=True)


def _mark_home(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "Action.Execute" and isinstance(node.get("data"), dict):
            node["data"]["home"] = True
        for value in node.values():
            _mark_home(value)
    elif isinstance(node, list):
        for item in node:
            _mark_home(item)


def _fitted(result: dict[str, Any]) -> dict[str, Any]:
    body: list[dict[str, Any]] = result["body"]
    keep = [b for b in body if str(b.get("id", "")).startswith(KEY_PREFIX)]
    shown = [b for b in body if b not in keep]
    while len(json.dumps(result, ensure_ascii=False).encode()) > MAX_CARD_BYTES and len(shown) > 1:
        shown = shown[: max(1, len(shown) * 3 // 4)]
        result["body"] = [*shown, _text(SHORTENED, size="Small", subtle=True), *keep]
    return result
