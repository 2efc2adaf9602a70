"""The signup modal: the neutral signup form (``bot.services.signup_form``) as Block Kit,
and a submission read back into its answers.

Block ids are the form's field names, so a field error from the service lands on the
field at fault (``response_action: errors``).
"""

from __future__ import annotations

from typing import Any

from bot import forms
from bot.services.signup import SignupDraft
from bot.services.signup_form import (
    GOALS,
    INTERESTS,
    PREFERENCES,
    PROGRAM,
    SKILLS,
    TEAM,
    WORK_END,
    WORK_START,
)
from bot.slack import forms as slack_forms

CALLBACK_ID = "mentor_signup"
ROLE, CAPACITY = "role", "capacity"  # a mentorship's questions (bot.kinds.mentorship)
__all__ = [
    "CALLBACK_ID",
    "CAPACITY",
    "GOALS",
    "INTERESTS",
    "PREFERENCES",
    "PROGRAM",
    "ROLE",
    "SKILLS",
    "TEAM",
    "WORK_END",
    "WORK_START",
    "signup_input",
    "signup_view",
]


def signup_view(draft: SignupDraft, metadata: dict[str, Any]) -> dict[str, Any]:
    form = draft.form(platform="Slack")
    return slack_forms.modal(form, callback_id=CALLBACK_ID, metadata=metadata)


def signup_input(view: Any) -> dict[str, forms.Answer]:
    return slack_forms.answers(view)
