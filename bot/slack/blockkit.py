"""Block Kit pieces for modals (Slack only), clipped to Slack's documented limits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.slack.render import clip

MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_LABEL = 2000
MAX_HINT = 2000
MAX_PLACEHOLDER = 150
MAX_TITLE = 24


def plain(text: str, limit: int = MAX_LABEL) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit) or " ", "emoji": True}


def option(label: str, value: str, description: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "text": plain(label, MAX_OPTION_TEXT),
        "value": clip(value, MAX_OPTION_VALUE),
    }
    if description:
        data["description"] = plain(description, MAX_OPTION_TEXT)
    return data


def input_block(
    block_id: str,
    label: str,
    element: dict[str, Any],
    *,
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": {"action_id": block_id, **element},
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, MAX_HINT)
    return block


def text_input(
    initial: str | None, *, max_length: int, multiline: bool = False, placeholder: str = ""
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial[:max_length]
    if placeholder:
        element["placeholder"] = plain(placeholder, MAX_PLACEHOLDER)
    return element


def number_input(initial: int | None, *, low: int, high: int) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "number_input",
        "is_decimal_allowed": False,
        "min_value": str(low),
        "max_value": str(high),
    }
    if initial is not None and low <= initial <= high:
        element["initial_value"] = str(initial)
    return element


def single_choice(
    kind: str, options: Sequence[dict[str, Any]], initial: str | None
) -> dict[str, Any]:
    """A ``static_select`` or ``radio_buttons`` element with ``initial`` preselected."""
    shown = list(options[:MAX_OPTIONS])
    element: dict[str, Any] = {"type": kind, "options": shown}
    picked = next((o for o in shown if o["value"] == initial), None)
    if picked is not None:
        element["initial_option"] = picked
    return element


def checkboxes(options: Sequence[dict[str, Any]], initial: set[str]) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "checkboxes", "options": list(options[:10])}
    picked = [o for o in options if o["value"] in initial]
    if picked:
        element["initial_options"] = picked
    return element


def timepicker(initial: str | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "timepicker"}
    if initial:
        element["initial_time"] = initial
    return element


def modal(
    callback_id: str, title: str, blocks: list[dict[str, Any]], *, submit: str, metadata: str
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, MAX_TITLE),
        "submit": plain(submit, MAX_TITLE),
        "close": plain("Cancel", MAX_TITLE),
        "private_metadata": metadata,
        "blocks": blocks,
    }


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, 3000) or " "}}


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, 2000)}]}
