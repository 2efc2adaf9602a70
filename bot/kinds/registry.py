"""The registry of program kinds: ``programs.kind`` names one of these policies.

Kinds register once, at import of ``bot.kinds``. A program whose kind is not registered
(written by a newer mentorbot, or a kind since removed) still lists and shows: code that
only names the kind uses ``label``; code that needs the policy gets ``UnknownKind``, a
polite error.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from bot.errors import MentorbotError

if TYPE_CHECKING:
    from bot.kinds.base import Kind, SignupField
    from bot.kinds.fields import ProgramField
    from storage.records import ProgramRecord

log = logging.getLogger(__name__)


class UnknownKind(MentorbotError):
    def __init__(self, program: str, kind: str) -> None:
        super().__init__(
            f"The program “{program}” is of kind “{kind}”, which this version of mentorbot "
            "doesn't know: ask whoever runs mentorbot to update it."
        )
        self.kind = kind


class Registry:
    def __init__(self) -> None:
        self._kinds: dict[str, Kind] = {}
        self.version = 0  # changes with every registration (cached derivations check it)

    def add(self, kind: Kind) -> Kind:
        if kind.name in self._kinds:
            raise ValueError(f"a program kind called {kind.name!r} is registered already")
        self._kinds[kind.name] = kind
        self.version += 1
        return kind

    def remove(self, name: str) -> None:
        self._kinds.pop(name, None)
        self.version += 1

    @contextmanager
    def registered(self, kind: Kind) -> Iterator[Kind]:
        """``kind`` registered for the duration (tests, and trying a kind out)."""
        self.add(kind)
        try:
            yield kind
        finally:
            self.remove(kind.name)

    def __iter__(self) -> Iterator[Kind]:
        return iter(tuple(self._kinds.values()))

    def names(self) -> tuple[str, ...]:
        return tuple(self._kinds)

    def get(self, name: str) -> Kind | None:
        return self._kinds.get(name)

    def of(self, program: ProgramRecord) -> Kind:
        """The policy of ``program``'s kind, or ``UnknownKind``."""
        kind = self._kinds.get(program.kind)
        if kind is None:
            log.warning("program %s has unknown kind %r", program.id, program.kind)
            raise UnknownKind(program.name, program.kind)
        return kind

    def label(self, name: str) -> str:
        """How a program's kind is named in lists: its noun, or a polite "unknown"."""
        kind = self._kinds.get(name)
        return kind.noun if kind is not None else f"unknown kind “{name}”"

    def signup_fields(self, names: Iterable[str] | None = None) -> tuple[SignupField, ...]:
        """The signup questions of the kinds ``names`` (default: all), each once."""
        wanted = None if names is None else set(names)
        found: dict[str, SignupField] = {}
        for kind in self._kinds.values():
            if wanted is None or kind.name in wanted:
                for question in kind.signup_fields:
                    found.setdefault(question.name, question)
        return tuple(found.values())

    def settings(self) -> tuple[ProgramField[Any], ...]:
        """Every registered kind's settings, each once, in registration order."""
        found: dict[str, ProgramField[Any]] = {}
        for kind in self._kinds.values():
            for setting in kind.settings:
                found.setdefault(setting.name, setting)
        return tuple(found.values())

    def using(self, setting: ProgramField[Any]) -> tuple[str, ...]:
        """The kinds whose programs read ``setting``."""
        return tuple(k.name for k in self._kinds.values() if setting in k.settings)


KINDS = Registry()
