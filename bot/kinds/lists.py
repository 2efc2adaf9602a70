"""Settings that hold several values: a list of words, and a map of word → meaning.

In the config file they are TOML arrays and inline tables (``topics = ["Kubernetes"]``,
``synonyms = { k8s = "Kubernetes" }``); in the form, a text box (commas or new lines
between the words; one ``word = meaning`` a line); in storage, JSON.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator
from pydantic import Field as Limits

from bot import forms, readers
from bot.kinds.fields import ProgramField

ITEM_LENGTH = readers.MAX_TAG_LENGTH
_PAIRS = re.compile(r"[\n\r;,]+")
_ARROW = re.compile(r"\s*(?:=|→|->)\s*")


@dataclass(frozen=True, kw_only=True)
class Words(ProgramField[tuple[str, ...]]):
    """A list of words or short phrases (duplicates, ignoring case, dropped)."""

    most: int = readers.MAX_TAGS
    what: str = "items"  # "topics", in messages

    def annotation(self) -> Any:
        item = Annotated[str, Limits(min_length=1, max_length=ITEM_LENGTH)]
        return Annotated[list[item], Limits(max_length=self.most), AfterValidator(tuple)]

    def read(self, answers: forms.Answers) -> tuple[str, ...]:
        text = forms.text(answers, self.field_name)
        return readers.tags(text, what=self.what, most=self.most)

    def input(self, value: tuple[str, ...], *, label: str) -> forms.Input:
        return forms.TextField(
            name=self.field_name,
            label=label,
            hint=self.hint,
            optional=True,
            max_length=readers.MAX_TAGS_TEXT,
            multiline=True,
            initial=", ".join(value) or None,
            placeholder="Separate with commas",
        )

    def load(self, raw: object) -> tuple[str, ...]:
        if isinstance(raw, list | tuple) and all(isinstance(v, str) for v in raw):
            return tuple(raw)
        return self.default

    def dump(self, value: tuple[str, ...]) -> Any:
        return list(value)


@dataclass(frozen=True, kw_only=True)
class Meanings(ProgramField[dict[str, str]]):
    """Words and what each stands for (``k8s`` → ``Kubernetes``)."""

    most: int = 100

    def annotation(self) -> Any:
        word = Annotated[str, Limits(min_length=1, max_length=ITEM_LENGTH)]
        return Annotated[dict[word, word], Limits(max_length=self.most)]

    def read(self, answers: forms.Answers) -> dict[str, str]:
        text = forms.text(answers, self.field_name) or ""
        if len(text) > readers.MAX_TAGS_TEXT:
            raise ValueError(f"Please keep this under {readers.MAX_TAGS_TEXT} characters.")
        found: dict[str, str] = {}
        for part in _PAIRS.split(text):
            if not part.strip():
                continue
            pieces = _ARROW.split(part.strip(), maxsplit=1)
            word, meaning = (readers.short_text(p, limit=ITEM_LENGTH) for p in (*pieces, "")[:2])
            if len(pieces) != 2 or not word or not meaning:
                raise ValueError(f"Write each as “word = meaning”, not “{part.strip()[:20]}”.")
            found[word] = meaning
        if len(found) > self.most:
            raise ValueError(f"Please give at most {self.most}.")
        return found

    def input(self, value: dict[str, str], *, label: str) -> forms.Input:
        return forms.TextField(
            name=self.field_name,
            label=label,
            hint=self.hint,
            optional=True,
            max_length=readers.MAX_TAGS_TEXT,
            multiline=True,
            initial="\n".join(f"{k} = {v}" for k, v in value.items()) or None,
            placeholder="One a line, e.g. k8s = Kubernetes",
        )

    def load(self, raw: object) -> dict[str, str]:
        if isinstance(raw, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
        ):
            return dict(raw)
        return dict(self.default)

    def dump(self, value: dict[str, str]) -> Any:
        return dict(value)
