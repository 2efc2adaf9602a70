"""The signup modal: built from a ``SignupDraft``, read back into a ``SignupInput``.

Block ids are the form's field names, so a field error from the service lands on the
field at fault (``response_action: errors``). The role and capacity fields appear when
any active program is a mentorship program; whether they are needed is checked on
submit against the program chosen, so the form works whatever the client does with
the program select.
"""

from __future__ import annotations

from typing import Any

from bot import readers
from bot.services.signup import SignupDraft
from bot.services.signup_form import MAX_CAPACITY, PREFER_CROSS_TEAM, SignupInput
from bot.slack import blockkit as bk
from bot.slack import state
from pairing.models import ProgramKind

CALLBACK_ID = "mentor_signup"
PROGRAM, ROLE, INTERESTS, SKILLS, GOALS = "program", "role", "interests", "skills", "goals"
CAPACITY, TEAM, PREFERENCES = "capacity", "team", "preferences"
WORK_START, WORK_END = "work_start", "work_end"
TAGS_MAX_LENGTH = readers.MAX_TAGS_TEXT


def signup_view(draft: SignupDraft, metadata: dict[str, Any]) -> dict[str, Any]:
    answers = draft.answers
    blocks: list[dict[str, Any]] = [
        bk.context("Your name, title and time zone come from your Slack profile."),
        bk.input_block(
            PROGRAM,
            "Program",
            bk.single_choice(
                "static_select",
                [bk.option(_program_label(p.name, p.kind), str(p.id)) for p in draft.programs],
                answers.program_id,
            ),
        ),
    ]
    if draft.has_mentorship:
        blocks.append(
            bk.input_block(
                ROLE,
                "Your role",
                bk.single_choice(
                    "radio_buttons",
                    [
                        bk.option("Mentor", "mentor", "I'd like to help someone grow"),
                        bk.option("Mentee", "mentee", "I'd like a mentor"),
                    ],
                    answers.role,
                ),
                optional=True,
                hint="Mentorship programs only; coffee programs need no role.",
            )
        )
    blocks += [
        _tags(INTERESTS, "Interests", answers.interests, "hiking, jazz, distributed systems"),
        _tags(SKILLS, "Skills you can offer", answers.skills, "Python, public speaking"),
        _tags(GOALS, "What you'd like to learn", answers.goals, "leadership, Kubernetes"),
    ]
    if draft.has_mentorship:
        blocks.append(
            bk.input_block(
                CAPACITY,
                "How many mentees at once",
                bk.number_input(_int(answers.capacity), low=1, high=MAX_CAPACITY),
                optional=True,
                hint="Mentors only. Leave empty for the program's default.",
            )
        )
    blocks += [
        bk.input_block(
            TEAM,
            "Your team",
            bk.text_input(answers.team, max_length=readers.MAX_SHORT_TEXT),
            optional=True,
            hint="Helps us introduce you to people outside your own team.",
        ),
        bk.input_block(
            PREFERENCES,
            "Preferences",
            bk.checkboxes(
                [bk.option("Prefer someone outside my team", PREFER_CROSS_TEAM)],
                {PREFER_CROSS_TEAM} if answers.prefer_cross_team else set(),
            ),
            optional=True,
        ),
        bk.input_block(
            WORK_START, "Your working day starts", bk.timepicker(answers.work_start), optional=True
        ),
        bk.input_block(WORK_END, "… and ends", bk.timepicker(answers.work_end), optional=True),
    ]
    title = "Edit your answers" if draft.editing else "Join a program"
    return bk.modal(
        CALLBACK_ID, title, blocks, submit="Save", metadata=state.encode_metadata(metadata)
    )


def signup_input(view: Any) -> SignupInput:
    return SignupInput(
        program_id=state.text(view, PROGRAM),
        role=state.text(view, ROLE),
        interests=state.text(view, INTERESTS) or "",
        skills=state.text(view, SKILLS) or "",
        goals=state.text(view, GOALS) or "",
        capacity=state.text(view, CAPACITY),
        team=state.text(view, TEAM),
        prefer_cross_team=PREFER_CROSS_TEAM in state.chosen(view, PREFERENCES),
        work_start=state.text(view, WORK_START),
        work_end=state.text(view, WORK_END),
    )


def _tags(block_id: str, label: str, initial: str, example: str) -> dict[str, Any]:
    return bk.input_block(
        block_id,
        label,
        bk.text_input(
            initial,
            max_length=TAGS_MAX_LENGTH,
            multiline=True,
            placeholder=f"Separate with commas, e.g. {example}",
        ),
        optional=True,
    )


def _program_label(name: str, kind: ProgramKind) -> str:
    suffix = " (mentorship)" if kind is ProgramKind.MENTORSHIP else " (coffee)"
    return name[: bk.MAX_OPTION_TEXT - len(suffix)] + suffix


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None
