"""The lead's program modal: the neutral program form (``bot.kinds.program_form``) as
Block Kit, and a submission read back into its answers and the program it edits."""

from __future__ import annotations

from typing import Any

from bot import forms
from bot.services.program_admin import program_form
from bot.slack import forms as slack_forms
from bot.slack import state
from storage.records import ProgramRecord

CALLBACK_ID = "mentor_program"
NAME, KIND, CHANNEL, SCHEDULE, TIMEZONE = "name", "kind", "channel", "schedule", "timezone"
GROUP_SIZE, CAPACITY, CHECKIN_DAYS, OPTIONS = "group_size", "capacity", "checkin_days", "options"
JOIN_VIA_CHANNEL, REOFFER, INACTIVE = "join_via_channel", "reoffer_missed", "inactive"


def program_view(
    program: ProgramRecord | None, *, default_timezone: str, metadata: dict[str, Any]
) -> dict[str, Any]:
    form = program_form(program, default_timezone=default_timezone)
    return slack_forms.modal(form, callback_id=CALLBACK_ID, metadata=metadata)


def program_input(view: Any) -> dict[str, forms.Answer]:
    return slack_forms.answers(view)


def editing(view: Any) -> int | None:
    """The program the submitted form edits (from the modal's metadata), if any; the
    service refuses one that is not a program of the workspace."""
    raw = state.metadata(view).get("program_id")
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else None
