"""Forms described once, neutrally; each chat platform renders them its own way.

The signup form and the program form are built by the services as a ``Form`` of fields
(short or long text, a number, a single choice, checkboxes, a time of day, a channel),
each with a name, a label, a hint, an initial value and its limits. The Slack adapter
renders a ``Form`` as a modal (block id = field name) and reads a submission back into
``Answers``: field name → the text typed or picked, or the set of boxes ticked. The
Teams adapter renders the same ``Form`` as an Adaptive Card and hands back the same
``Answers``. So the services never see a platform's payloads, and an error keyed by a
field name lands on that field on every platform.

Answers are untrusted (a client may be buggy or forged): read them with ``text`` and
``chosen``, which never raise, and validate every value in the service.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class Option:
    """A choice. ``qualifier`` follows the label and is never clipped away, however long
    the label (e.g. a program's kind after its name: " (coffee)")."""

    value: str
    label: str
    description: str | None = None
    qualifier: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Field:
    """What every field has: its name (the answer's key), label, hint, and whether it may
    be left empty."""

    name: str
    label: str
    hint: str | None = None
    optional: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class TextField(Field):
    max_length: int
    initial: str | None = None
    multiline: bool = False
    placeholder: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NumberField(Field):
    """A whole number from ``low`` to ``high``."""

    low: int
    high: int
    initial: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ChoiceField(Field):
    """One of ``options``: a drop-down (``select``) or radio buttons (``radio``)."""

    options: tuple[Option, ...]
    initial: str | None = None
    style: Literal["select", "radio"] = "select"


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckboxesField(Field):
    options: tuple[Option, ...]
    initial: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeField(Field):
    initial: str | None = None  # "HH:MM"


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelField(Field):
    """A channel of the workspace (the answer is its platform id)."""

    initial: str | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """A line of explanation between the fields."""

    text: str


Input = TextField | NumberField | ChoiceField | CheckboxesField | TimeField | ChannelField
Item = Input | Note


@dataclass(frozen=True, slots=True)
class Form:
    title: str
    items: tuple[Item, ...]
    submit: str = "Save"

    @property
    def fields(self) -> tuple[Input, ...]:
        return tuple(item for item in self.items if not isinstance(item, Note))

    def field(self, name: str) -> Input | None:
        return next((f for f in self.fields if f.name == name), None)


Answer = str | frozenset[str]
Answers = Mapping[str, Answer]


def text(answers: Answers, name: str) -> str | None:
    """The text typed or picked for field ``name`` (None if absent or not text)."""
    value = answers.get(name)
    return value if isinstance(value, str) else None


def chosen(answers: Answers, name: str) -> frozenset[str]:
    """The boxes ticked in checkboxes field ``name`` (empty if absent or not a set)."""
    value = answers.get(name)
    return value if isinstance(value, frozenset) else frozenset()
