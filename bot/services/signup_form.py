"""The signup form: described once (``bot.forms``), and its answers checked here.

Every platform renders the same form and hands back the same answers, which are read
defensively (the form may come from a buggy or forged client): one message per field
at fault. The kinds of the programs on offer add their own questions (a mentorship's
role and capacity); whether an answer is needed is checked against the program chosen,
so the form works whatever the client does with the program select.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from bot import forms, readers
from bot.kinds import KINDS, Enrolled, UnknownKind
from storage.records import ProgramRecord
from storage.repositories.enrollments import EnrollmentForm

PROGRAM, INTERESTS, SKILLS, GOALS = "program", "interests", "skills", "goals"
TEAM, PREFERENCES, WORK_START, WORK_END = "team", "preferences", "work_start", "work_end"
PREFER_CROSS_TEAM = "prefer_cross_team"
TAGS = (  # name, label, an example
    (INTERESTS, "Interests", "hiking, jazz, distributed systems"),
    (SKILLS, "Skills you can offer", "Python, public speaking"),
    (GOALS, "What you'd like to learn", "leadership, Kubernetes"),
)


@dataclass(frozen=True, slots=True)
class Checked:
    form: EnrollmentForm
    team: str | None
    hours: tuple[int, int] | None
    errors: dict[str, str] = field(default_factory=dict)


def signup_form(
    programs: Sequence[ProgramRecord], answers: forms.Answers, *, editing: bool, platform: str
) -> forms.Form:
    """The form offering ``programs``, filled in with ``answers`` (``platform`` names where
    the person's name and time zone come from)."""
    common: list[forms.Item] = [
        forms.Note(f"Your name, title and time zone come from your {platform} profile."),
        forms.ChoiceField(
            name=PROGRAM,
            label="Program",
            options=tuple(_program(p) for p in programs),
            initial=forms.text(answers, PROGRAM),
        ),
        *(_tags(name, label, example, answers) for name, label, example in TAGS),
        forms.TextField(
            name=TEAM,
            label="Your team",
            hint="Helps us introduce you to people outside your own team.",
            optional=True,
            max_length=readers.MAX_SHORT_TEXT,
            initial=forms.text(answers, TEAM),
        ),
        forms.CheckboxesField(
            name=PREFERENCES,
            label="Preferences",
            optional=True,
            options=(forms.Option(PREFER_CROSS_TEAM, "Prefer someone outside my team"),),
            initial=forms.chosen(answers, PREFERENCES) & {PREFER_CROSS_TEAM},
        ),
        forms.TimeField(
            name=WORK_START,
            label="Your working day starts",
            optional=True,
            initial=forms.text(answers, WORK_START),
        ),
        forms.TimeField(
            name=WORK_END, label="… and ends", optional=True, initial=forms.text(answers, WORK_END)
        ),
    ]
    items: list[forms.Item] = []
    asked = KINDS.signup_fields(p.kind for p in programs)
    for item in common:
        items.append(item)
        name = getattr(item, "name", None)
        items.extend(q.field(answers) for q in asked if q.after == name)
    title = "Edit your answers" if editing else "Join a program"
    return forms.Form(title=title, items=tuple(items))


def check(program: ProgramRecord | None, answers: forms.Answers) -> Checked:
    """Validate every answer; collect one message per field at fault."""
    errors: dict[str, str] = {}
    none: tuple[str, ...] = ()
    checked: dict[str, Any] = {}
    for name, _, _ in TAGS:
        tags = partial(readers.tags, forms.text(answers, name), what=name)
        checked[name] = readers.collect(errors, name, tags, none)
    for question in KINDS.signup_fields():
        read: Callable[[], Any] = partial(question.read, answers)
        checked[question.name] = readers.collect(errors, question.name, read, None)
    team = readers.collect(
        errors, TEAM, partial(readers.short_text, forms.text(answers, TEAM)), None
    )
    start = readers.collect(
        errors, WORK_START, partial(readers.clock_minutes, forms.text(answers, WORK_START)), None
    )
    end = readers.collect(
        errors, WORK_END, partial(readers.clock_minutes, forms.text(answers, WORK_END)), None
    )
    enrolled = Enrolled()
    if program is None:
        errors[PROGRAM] = "Please choose one of the programs in the list."
    elif (kind := KINDS.get(program.kind)) is None:
        errors[PROGRAM] = str(UnknownKind(program.name, program.kind))
    else:
        enrolled = kind.enrolled(program, checked, errors)
    preferences = {PREFER_CROSS_TEAM: True} if _prefers_cross_team(answers) else {}
    return Checked(
        form=EnrollmentForm(
            role=enrolled.role,
            interests=checked[INTERESTS],
            skills=checked[SKILLS],
            goals=checked[GOALS],
            capacity=enrolled.capacity,
            preferences=preferences,
        ),
        team=team,
        hours=_hours(start, end, errors),
        errors=errors,
    )


def _prefers_cross_team(answers: forms.Answers) -> bool:
    return PREFER_CROSS_TEAM in forms.chosen(answers, PREFERENCES)


def _program(program: ProgramRecord) -> forms.Option:
    return forms.Option(str(program.id), program.name, qualifier=f" ({KINDS.label(program.kind)})")


def _tags(name: str, label: str, example: str, answers: forms.Answers) -> forms.TextField:
    return forms.TextField(
        name=name,
        label=label,
        optional=True,
        max_length=readers.MAX_TAGS_TEXT,
        multiline=True,
        initial=forms.text(answers, name),
        placeholder=f"Separate with commas, e.g. {example}",
    )


def _hours(start: int | None, end: int | None, errors: dict[str, str]) -> tuple[int, int] | None:
    if WORK_START in errors or WORK_END in errors:
        return None
    if start is None and end is None:
        return None
    begin = 9 * 60 if start is None else start
    finish = 17 * 60 if end is None else end
    if finish == begin:  # one ending before it starts is a night shift, past midnight
        errors[WORK_END] = "Your working day should end at a different time than it starts."
        return None
    return begin, finish
