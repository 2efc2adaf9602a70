"""The program form and the program's fields as a whole, from their declarations.

Common fields first (``common.LEAD``), then every registered kind's settings, then
``common.TRAIL``. The on/off fields gather in one "Options" checkboxes field, as leads
have always seen them. A setting's label names the kinds it applies to ("Group size
(coffee)"): the form shows them all, because a lead may change the kind in the same form.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot import forms
from bot.kinds import common
from bot.kinds.fields import OPTIONS, Flag, ProgramField
from bot.kinds.registry import KINDS
from storage.records import ProgramRecord
from storage.repositories.programs import ProgramSpec

CONFIG_NOTE = (
    "This program is declared in mentorbot's config file: the file's values come back "
    "when mentorbot restarts."
)
JOIN_WITHOUT_CHANNEL = "People can only join through a channel if you pick one."


def fields() -> tuple[ProgramField[Any], ...]:
    """Every field a program has now, in the form's order."""
    return (*common.LEAD, *KINDS.settings(), *common.TRAIL)


def values_of(program: ProgramRecord | None, *, default_timezone: str) -> dict[str, Any]:
    """The program's values by field name (a new program's defaults, in the lead's zone)."""
    if program is not None:
        return {f.name: f.of(program) for f in fields()}
    values = {f.name: f.default for f in fields()}
    values[common.TIMEZONE.name] = default_timezone
    return values


def program_form(program: ProgramRecord | None, *, default_timezone: str) -> forms.Form:
    """The form to create a program (``program`` None) or to edit ``program``."""
    values = values_of(program, default_timezone=default_timezone)
    items: list[forms.Item] = []
    if program is not None and program.source == "config":
        items.append(forms.Note(CONFIG_NOTE))
    options: list[forms.Option] = []
    ticked: set[str] = set()
    for field in fields():
        if isinstance(field, Flag):
            options.append(field.choice())
            if field.ticked(values[field.name]):
                ticked.add(field.option)
            continue
        shown = field.input(values[field.name], label=label(field))
        if shown is not None:
            items.append(shown)
    items.append(
        forms.CheckboxesField(
            name=OPTIONS,
            label="Options",
            options=tuple(options),
            initial=frozenset(ticked),
            optional=True,
        )
    )
    return forms.Form(title="Edit program" if program else "New program", items=tuple(items))


def label(field: ProgramField[Any]) -> str:
    if field.column or field in common.SETTINGS:
        return field.label
    return f"{field.label} ({', '.join(KINDS.using(field))})"


def read(answers: forms.Answers) -> tuple[dict[str, Any], dict[str, str]]:
    """The submitted values by field name, and a message per form field at fault."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in fields():
        try:
            values[field.name] = field.read(answers)
        except ValueError as exc:
            errors[field.field_name] = str(exc)
    channel = common.CHANNEL
    if values.get(common.JOIN_VIA_CHANNEL.name) and values.get(channel.name, "") is None:
        errors.setdefault(channel.field_name, JOIN_WITHOUT_CHANNEL)
    return values, errors


def spec(values: Mapping[str, Any]) -> ProgramSpec:
    """A ``ProgramSpec`` of checked values: columns as they are, the rest as settings."""
    columns = {f.name: values.get(f.name, f.default) for f in fields() if f.column}
    stored = (*KINDS.settings(), *common.SETTINGS)
    settings = {f.name: f.dump(values[f.name]) for f in stored if f.name in values}
    return ProgramSpec(**columns, settings=settings)
