"""One neutral message model; each platform adapter renders it (Block Kit, Adaptive Cards).

Text is mentorbot's own small markup, which every adapter translates:

- ``*bold*`` and ``_italic_``, line breaks, and ``• `` bullets;
- `` `code` `` for the words a person types; a command is written ``/mentor VERB``
  (platforms without slash commands show it as the words to type to the bot);
- ``&``, ``<`` and ``>`` are always escaped (``&amp;``, ``&lt;``, ``&gt;``): text people
  typed goes through ``literal`` so it can never turn into a link, a mention or markup
  of any platform. A renderer unescapes them where its format needs the plain character.

Builders write whole content; each renderer clips to its platform's limits (Slack's 50
blocks a message and 100 a home tab …). Messages round-trip through JSON because the
outbox stores them until they are delivered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ButtonStyle = Literal["primary", "danger"] | None


def literal(text: str) -> str:
    """``text`` shown as it is: the markup's three reserved characters escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """The inverse of ``literal`` (for renderers whose format takes plain characters)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    action_id: str
    value: str = ""
    style: ButtonStyle = None
    confirm: str | None = None  # a question to confirm before the click counts
    url: str | None = None  # opens this address in the browser (the click is still reported)


@dataclass(frozen=True, slots=True)
class Header:
    text: str


@dataclass(frozen=True, slots=True)
class Section:
    text: str
    fields: tuple[str, ...] = ()
    accessory: Button | None = None


@dataclass(frozen=True, slots=True)
class Context:
    elements: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Divider:
    pass


@dataclass(frozen=True, slots=True)
class Actions:
    buttons: tuple[Button, ...]
    block_id: str | None = None


Block = Header | Section | Context | Divider | Actions
_BLOCK_TYPES: dict[str, type[Any]] = {
    "header": Header,
    "section": Section,
    "context": Context,
    "divider": Divider,
    "actions": Actions,
}


@dataclass(frozen=True, slots=True)
class Message:
    """``text`` is the notification/fallback line; ``blocks`` the rich body."""

    text: str
    blocks: tuple[Block, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": [_block_to_dict(block) for block in self.blocks]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Message:
        return cls(
            text=str(data["text"]),
            blocks=tuple(_block_from_dict(block) for block in data.get("blocks", ())),
        )


def _block_to_dict(block: Block) -> dict[str, Any]:
    kind = next(name for name, cls in _BLOCK_TYPES.items() if isinstance(block, cls))
    data: dict[str, Any] = {"type": kind}
    if isinstance(block, Header):
        data["text"] = block.text
    elif isinstance(block, Section):
        data["text"] = block.text
        data["fields"] = list(block.fields)
        data["accessory"] = _button_to_dict(block.accessory) if block.accessory else None
    elif isinstance(block, Context):
        data["elements"] = list(block.elements)
    elif isinstance(block, Actions):
        data["buttons"] = [_button_to_dict(button) for button in block.buttons]
        data["block_id"] = block.block_id
    return data


def _block_from_dict(data: dict[str, Any]) -> Block:
    kind = data["type"]
    if kind == "header":
        return Header(data["text"])
    if kind == "section":
        accessory = data.get("accessory")
        return Section(
            data["text"],
            tuple(data.get("fields", ())),
            Button(**accessory) if accessory else None,
        )
    if kind == "context":
        return Context(tuple(data["elements"]))
    if kind == "divider":
        return Divider()
    if kind == "actions":
        return Actions(tuple(Button(**b) for b in data["buttons"]), data.get("block_id"))
    raise ValueError(f"unknown block type {kind!r}")


def _button_to_dict(button: Button) -> dict[str, Any]:
    return {
        "label": button.label,
        "action_id": button.action_id,
        "value": button.value,
        "style": button.style,
        "confirm": button.confirm,
        "url": button.url,
    }
