"""Reading a submitted modal's ``view.state.values`` and ``private_metadata``, defensively:
a forged or malformed payload yields empty answers (to be refused by validation),
never an exception."""

from __future__ import annotations

import json
from typing import Any

MAX_METADATA = 3000
MAX_ERROR = 2000


def values(view: Any) -> dict[str, Any]:
    state = view.get("state") if isinstance(view, dict) else None
    found = state.get("values") if isinstance(state, dict) else None
    return found if isinstance(found, dict) else {}


def element(view: Any, block_id: str) -> dict[str, Any]:
    """The state of the one element in input block ``block_id`` ({} if absent)."""
    block = values(view).get(block_id)
    if not isinstance(block, dict):
        return {}
    for item in block.values():
        if isinstance(item, dict):
            return item
    return {}


def text(view: Any, block_id: str) -> str | None:
    """A typed or picked value as text: inputs, single selects, times, conversations."""
    item = element(view, block_id)
    for key in ("value", "selected_time", "selected_conversation", "selected_channel"):
        found = item.get(key)
        if isinstance(found, (str, int, float)) and not isinstance(found, bool):
            return str(found)
    option = item.get("selected_option")
    if isinstance(option, dict) and isinstance(option.get("value"), str):
        return str(option["value"])
    return None


def chosen(view: Any, block_id: str) -> set[str]:
    """The values of a multi-choice element (checkboxes)."""
    options = element(view, block_id).get("selected_options")
    if not isinstance(options, list):
        return set()
    return {str(o["value"]) for o in options if isinstance(o, dict) and "value" in o}


def metadata(view: Any) -> dict[str, Any]:
    raw = view.get("private_metadata") if isinstance(view, dict) else None
    if not isinstance(raw, str) or not raw or len(raw) > MAX_METADATA:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def encode_metadata(data: dict[str, Any]) -> str:
    """``private_metadata`` for a view; fields that would overflow Slack's limit are dropped."""
    kept = {k: v for k, v in data.items() if v not in (None, "")}
    encoded = json.dumps(kept, separators=(",", ":"))
    while len(encoded) > MAX_METADATA and kept:
        kept.pop(next(reversed(kept)))
        encoded = json.dumps(kept, separators=(",", ":"))
    return encoded


def errors_for(view: Any, errors: dict[str, str], fallback: str) -> dict[str, str]:
    """``response_action: errors`` keyed by input blocks ``view`` has: a field the view
    does not show puts its message on ``fallback`` (or the first input block)."""
    blocks = view.get("blocks") if isinstance(view, dict) else None
    inputs = [
        str(b.get("block_id"))
        for b in blocks or []
        if isinstance(b, dict) and b.get("type") == "input" and b.get("block_id")
    ]
    if not inputs:
        return {}
    spare = fallback if fallback in inputs else inputs[0]
    shown: dict[str, str] = {}
    for field, message in errors.items():
        block = field if field in inputs else spare
        shown[block] = f"{shown[block]} {message}" if block in shown else message
    return {block: message[:MAX_ERROR] for block, message in shown.items()}
