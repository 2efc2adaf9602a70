"""A program's fields, each declared once.

One declaration (name, type, default, bounds or choices, label, hint) drives the TOML
``[[programs]]`` keys and their one-line errors (through a pydantic type), the program
form (a neutral ``bot.forms`` field) and its messages, and storage: common fields are
columns of their own, a kind's settings are keys of the program's JSON ``settings``,
read back through ``Setting.of(program)`` with the declared type. Which kinds a setting
applies to follows from which kinds list it (``Kind.settings``).

Values read from storage are forgiving (a hand-edited or outdated value reads as the
default); values from the config file or the form are checked, with a message meant for
whoever typed them.
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AfterValidator
from pydantic import Field as Limits

from bot import forms, readers
from storage.records import ProgramRecord

T = TypeVar("T")
REQUIRED: Any = ...  # a config key without a default must be given
OPTIONS = "options"  # the form's checkboxes field that holds the on/off fields


@dataclass(frozen=True, kw_only=True)
class ProgramField(abc.ABC, Generic[T]):
    """``name`` is the attribute of ``ProgramRecord``/``ProgramSpec`` (or the key in its
    settings); ``config_key`` and ``form_key`` keep older spellings of the same field."""

    name: str
    label: str
    default: T
    hint: str | None = None
    config_key: str | None = None
    form_key: str | None = None
    column: bool = False  # a common field with a column of its own (else: in settings)
    required: bool = False  # the config file must give it
    form_optional: bool = True  # the form may leave it empty
    in_config: bool = True  # a key of [[programs]] in the config file

    @property
    def key(self) -> str:
        """The TOML key."""
        return self.config_key or self.name

    @property
    def field_name(self) -> str:
        """The form field's name (and answer key)."""
        return self.form_key or self.name

    @abc.abstractmethod
    def annotation(self) -> Any:
        """The pydantic type that checks the TOML value (messages as pydantic words them)."""

    @abc.abstractmethod
    def read(self, answers: forms.Answers) -> T:
        """The value from the form, or ``ValueError`` with a message for the person."""

    @abc.abstractmethod
    def input(self, value: T, *, label: str) -> forms.Input | None:
        """The form field showing ``value`` (None: shown as one of the options)."""

    @abc.abstractmethod
    def load(self, raw: object) -> T:
        """A stored value, or the default when it cannot be one."""

    def dump(self, value: T) -> Any:
        """The value as stored in JSON."""
        return value

    def of(self, program: ProgramRecord) -> T:
        """This field's value for ``program`` (columns as they are, settings checked)."""
        if self.column:
            return getattr(program, self.name)  # type: ignore[no-any-return]
        return self.load(program.settings.get(self.name, self.default))

    def config_default(self) -> Any:
        return REQUIRED if self.required else self.default


@dataclass(frozen=True, kw_only=True)
class Number(ProgramField[int]):
    """A whole number from ``low`` to ``high``; left empty in the form: the default."""

    low: int
    high: int

    def annotation(self) -> Any:
        return Annotated[int, Limits(ge=self.low, le=self.high)]

    def read(self, answers: forms.Answers) -> int:
        found = readers.whole_number(
            forms.text(answers, self.field_name), low=self.low, high=self.high
        )
        return self.default if found is None else found

    def input(self, value: int, *, label: str) -> forms.Input:
        return forms.NumberField(
            name=self.field_name,
            label=label,
            hint=self.hint,
            optional=True,
            low=self.low,
            high=self.high,
            initial=value,
        )

    def load(self, raw: object) -> int:
        ok = isinstance(raw, int) and not isinstance(raw, bool) and self.low <= raw <= self.high
        return raw if ok else self.default  # type: ignore[return-value]


@dataclass(frozen=True, kw_only=True)
class Flag(ProgramField[bool]):
    """On or off: one of the form's ``options`` checkboxes. ``inverted`` ticks the box
    when the value is off (``active`` shows as "On hold")."""

    option: str  # the checkbox's value
    description: str | None = None
    inverted: bool = False

    def annotation(self) -> Any:
        return bool

    def read(self, answers: forms.Answers) -> bool:
        return (self.option in forms.chosen(answers, OPTIONS)) != self.inverted

    def input(self, value: bool, *, label: str) -> None:
        return None

    def choice(self) -> forms.Option:
        return forms.Option(self.option, self.label, self.description)

    def ticked(self, value: bool) -> bool:
        return value != self.inverted

    def load(self, raw: object) -> bool:
        return raw if isinstance(raw, bool) else self.default


@dataclass(frozen=True, kw_only=True)
class Choice(ProgramField[str]):
    """One of ``options`` (radio buttons in the form)."""

    options: tuple[forms.Option, ...]
    refused: str = "Please choose one of the options."

    def values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)

    def annotation(self) -> Any:
        return Literal[self.values()]

    def read(self, answers: forms.Answers) -> str:
        value = forms.text(answers, self.field_name)
        if value not in self.values():
            raise ValueError(self.refused)
        return str(value)

    def input(self, value: str, *, label: str) -> forms.Input:
        return forms.ChoiceField(
            name=self.field_name,
            label=label,
            hint=self.hint,
            options=self.options,
            initial=value,
            style="radio",
        )

    def load(self, raw: object) -> str:
        return raw if isinstance(raw, str) and raw in self.values() else self.default


@dataclass(frozen=True, kw_only=True)
class Text(ProgramField[str]):
    """One line of text, checked by ``check`` (the config file's wording) and
    ``check_form`` (the form's wording: it may differ, as the two readers differ)."""

    max_length: int
    check: Callable[[str], str] = str
    check_form: Callable[[str | None], str] | None = None

    def annotation(self) -> Any:
        limits = Limits(min_length=1 if self.required else 0, max_length=self.max_length)
        return Annotated[str, limits, AfterValidator(self.check)]

    def read(self, answers: forms.Answers) -> str:
        raw = forms.text(answers, self.field_name)
        if self.check_form is not None:
            return self.check_form(raw)
        return readers.short_text(raw, limit=self.max_length) or self.default

    def input(self, value: str, *, label: str) -> forms.Input:
        return forms.TextField(
            name=self.field_name,
            label=label,
            hint=self.hint,
            optional=self.form_optional,
            max_length=self.max_length,
            initial=value or None,
        )

    def load(self, raw: object) -> str:
        return raw if isinstance(raw, str) else self.default
