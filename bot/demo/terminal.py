"""Show Slack messages in a terminal the way a person would read them in Slack."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

WIDTH = 72  # the text inside a box: the box fits an 80-column terminal
_LINK = re.compile(r"<([^|>]+)\|([^>]+)>")
_MENTION = re.compile(r"<@([A-Z0-9]+)>")
_BOLD = re.compile(r"\*([^*\n]+)\*")
_ITALIC = re.compile(r"(?<![\w])_([^_\n]+)_(?![\w])")


def plain(text: str, names: Mapping[str, str] | None = None) -> str:
    """Slack mrkdwn to readable terminal text: links, @mentions, bold and italics."""
    text = _LINK.sub(r"\2", text)
    text = _MENTION.sub(lambda m: "@" + (names or {}).get(m.group(1), m.group(1)), text)
    text = _BOLD.sub(r"\1", text)
    text = _ITALIC.sub(r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def message_lines(
    blocks: Sequence[Mapping[str, Any]], fallback: str = "", names: Mapping[str, str] | None = None
) -> list[str]:
    """A boxed rendering of a Block Kit message."""
    lines: list[str] = []
    for block in blocks or [{"type": "section", "text": {"text": fallback}}]:
        lines.extend(_block_lines(block, names))
    while lines and not lines[-1]:
        lines.pop()
    width = max([display_width(line) for line in lines] + [20])
    top = "┌" + "─" * (width + 2) + "┐"
    bottom = "└" + "─" * (width + 2) + "┘"
    padded = (line + " " * (width - display_width(line)) for line in lines)
    return [top, *(f"│ {line} │" for line in padded), bottom]


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: emoji and CJK take two, combining marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or char in "\u200d\ufe0f":
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _block_lines(block: Mapping[str, Any], names: Mapping[str, str] | None) -> list[str]:
    kind = block.get("type")
    if kind == "header":
        title = plain(block["text"]["text"], names)
        return [title.upper(), ""]
    if kind == "divider":
        return ["─" * 40]
    if kind == "section":
        out: list[str] = []
        if block.get("text"):
            out.extend(_wrap(plain(block["text"]["text"], names)))
        out.extend(_fields([plain(f["text"], names) for f in block.get("fields") or []]))
        if block.get("accessory", {}).get("type") == "button":
            out.append(f"[ {block['accessory']['text']['text']} ]")
        return [*out, ""]
    if kind == "context":
        joined = "  ·  ".join(plain(e.get("text", ""), names) for e in block.get("elements", []))
        return [*_wrap(joined), ""]
    if kind == "actions":
        buttons = [f"[ {e['text']['text']} ]" for e in block.get("elements", []) if "text" in e]
        return ["  ".join(buttons), ""]
    return []


def _fields(texts: list[str]) -> list[str]:
    """Section fields side by side in two columns, as Slack shows them."""
    half = WIDTH // 2 - 1
    cells = [_wrap(text, width=half) for text in texts]
    lines: list[str] = []
    for row in range(0, len(cells), 2):
        left, right = cells[row], (cells[row + 1] if row + 1 < len(cells) else [])
        for index in range(max(len(left), len(right))):
            a = left[index] if index < len(left) else ""
            b = right[index] if index < len(right) else ""
            lines.append((a + " " * (half + 2 - display_width(a)) + b).rstrip())
        lines.append("")
    return lines[:-1]


def _wrap(text: str, indent: str = "", width: int = WIDTH) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        wrapped = textwrap.wrap(paragraph, width, initial_indent=indent, subsequent_indent=indent)
        lines.extend(wrapped or [""])
    return lines
