"""The config file's ``[[programs]]`` keys, from the program fields' declarations.

A pydantic model is made from the fields registered now (so a newly registered kind's
settings are keys at once) and checks each program table; its errors keep pydantic's
wording and the key's location, which ``bot.config`` turns into one line such as
``programs[0] ('coffee').group_size: Input should be less than or equal to 8``. Every
kind's settings are accepted on every program, as they always were.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, create_model

from bot.kinds.fields import ProgramField
from bot.kinds.program_form import fields
from bot.kinds.registry import KINDS

_made: dict[int, type[BaseModel]] = {}


def config_fields() -> tuple[ProgramField[Any], ...]:
    return tuple(f for f in fields() if f.in_config)


def config_model() -> type[BaseModel]:
    """The model of one ``[[programs]]`` table for the kinds registered now."""
    made = _made.get(KINDS.version)
    if made is None:
        keys: dict[str, Any] = {
            f.key: (f.annotation(), f.config_default()) for f in config_fields()
        }
        made = create_model(
            "ProgramConfig", __config__=ConfigDict(extra="forbid", frozen=True), **keys
        )
        _made.clear()
        _made[KINDS.version] = made
    return made


def read_config(table: object) -> dict[str, Any]:
    """One checked ``[[programs]]`` table as values by field name (``ValidationError``
    naming the key at fault otherwise)."""
    checked = config_model().model_validate(table)
    return {f.name: getattr(checked, f.key) for f in config_fields()}
