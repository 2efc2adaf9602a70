"""Slack's rules for modal views, enforced by the simulated ``views.open``/``views.update``
so a form Slack would refuse (an option text over 75 characters, an initial option
that is not among the options, an initial value longer than ``max_length`` …) fails
here too, with the error Slack gives: ``invalid_arguments``."""

from __future__ import annotations

import re
from typing import Any

MAX_TITLE = 24
MAX_ID = 255
MAX_LABEL = 2000
MAX_PLACEHOLDER = 150
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_TEXT_INPUT = 3000
_HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
OPTION_LIMITS = {"static_select": 100, "radio_buttons": 10, "checkboxes": 10}


def view_problem(view: dict[str, Any]) -> str | None:
    """A short description of the first rule ``view`` breaks, or None."""
    if view.get("type") == "modal":
        for key in ("title", "submit", "close"):
            text = _text(view.get(key))
            if (key == "title" or view.get(key) is not None) and not 0 < len(text) <= MAX_TITLE:
                return f"{key} must be 1-{MAX_TITLE} characters"
    if len(str(view.get("callback_id", ""))) > MAX_ID:
        return "callback_id too long"
    seen: set[str] = set()
    for block in view.get("blocks") or []:
        block_id = block.get("block_id")
        if block_id is not None:
            if not 0 < len(str(block_id)) <= MAX_ID or block_id in seen:
                return f"block_id {block_id!r} is empty, too long or repeated"
            seen.add(block_id)
        if block.get("type") == "input":
            problem = _input_problem(block)
            if problem:
                return f"block {block_id!r}: {problem}"
    return None


def _input_problem(block: dict[str, Any]) -> str | None:
    if not 0 < len(_text(block.get("label"))) <= MAX_LABEL:
        return "label must be 1-2000 characters"
    if block.get("hint") is not None and not 0 < len(_text(block.get("hint"))) <= MAX_LABEL:
        return "hint must be 1-2000 characters"
    element = block.get("element")
    if not isinstance(element, dict):
        return "no element"
    if len(str(element.get("action_id", ""))) > MAX_ID:
        return "action_id too long"
    if len(_text(element.get("placeholder"))) > MAX_PLACEHOLDER:
        return "placeholder over 150 characters"
    kind = element.get("type")
    if kind == "plain_text_input":
        return _text_input_problem(element)
    if kind in OPTION_LIMITS:
        return _options_problem(element, OPTION_LIMITS[kind])
    initial_time = element.get("initial_time")
    if kind == "timepicker" and initial_time is not None and not _HHMM.fullmatch(str(initial_time)):
        return "initial_time must be HH:mm"
    if kind == "number_input":
        if not isinstance(element.get("is_decimal_allowed"), bool):
            return "is_decimal_allowed is required"
        initial = element.get("initial_value")
        if initial is not None and not re.fullmatch(r"-?\d+(\.\d+)?", str(initial)):
            return "initial_value must be a number"
    return None


def _text_input_problem(element: dict[str, Any]) -> str | None:
    longest = int(element.get("max_length", MAX_TEXT_INPUT))
    if not 0 < longest <= MAX_TEXT_INPUT:
        return "max_length must be 1-3000"
    initial = element.get("initial_value")
    if initial is not None and (not isinstance(initial, str) or len(initial) > longest):
        return "initial_value longer than max_length"
    return None


def _options_problem(element: dict[str, Any], limit: int) -> str | None:
    options = element.get("options") or []
    if not 0 < len(options) <= limit:
        return f"needs 1-{limit} options"
    for option in options:
        if not 0 < len(_text(option.get("text"))) <= MAX_OPTION_TEXT:
            return "option text must be 1-75 characters"
        if not 0 < len(str(option.get("value", ""))) <= MAX_OPTION_VALUE:
            return "option value must be 1-150 characters"
        if len(_text(option.get("description"))) > MAX_OPTION_TEXT:
            return "option description over 75 characters"
    initial = [element["initial_option"]] if element.get("initial_option") else []
    initial += element.get("initial_options") or []
    if any(choice not in options for choice in initial):
        return "initial option is not one of the options"
    return None


def _text(obj: Any) -> str:
    return str(obj.get("text", "")) if isinstance(obj, dict) else ""
