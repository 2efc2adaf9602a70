"""Checking a submitted signup form: every field read defensively, one message per
field at fault (the form may come from a buggy or forged client)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot import readers
from pairing.models import ProgramKind, Role
from storage.records import ProgramRecord
from storage.repositories.enrollments import EnrollmentForm

MAX_CAPACITY = 20
PREFER_CROSS_TEAM = "prefer_cross_team"


@dataclass(frozen=True, slots=True)
class SignupInput:
    """The form as submitted: raw strings, to be checked here (forms can be forged)."""

    program_id: str | None = None
    role: str | None = None
    interests: str = ""
    skills: str = ""
    goals: str = ""
    capacity: str | None = None
    team: str | None = None
    prefer_cross_team: bool = False
    work_start: str | None = None
    work_end: str | None = None


@dataclass(frozen=True, slots=True)
class Checked:
    form: EnrollmentForm
    team: str | None
    hours: tuple[int, int] | None
    errors: dict[str, str] = field(default_factory=dict)


def check(program: ProgramRecord | None, form: SignupInput) -> Checked:
    """Validate every field; collect one message per field at fault."""
    errors: dict[str, str] = {}
    none: tuple[str, ...] = ()
    interests = readers.collect(
        errors, "interests", lambda: readers.tags(form.interests, what="interests"), none
    )
    skills = readers.collect(
        errors, "skills", lambda: readers.tags(form.skills, what="skills"), none
    )
    goals = readers.collect(errors, "goals", lambda: readers.tags(form.goals, what="goals"), none)
    capacity = readers.collect(
        errors,
        "capacity",
        lambda: readers.whole_number(form.capacity, low=1, high=MAX_CAPACITY),
        None,
    )
    team = readers.collect(errors, "team", lambda: readers.short_text(form.team), None)
    start = readers.collect(
        errors, "work_start", lambda: readers.clock_minutes(form.work_start), None
    )
    end = readers.collect(errors, "work_end", lambda: readers.clock_minutes(form.work_end), None)
    role = Role.PEER
    if program is None:
        errors["program"] = "Please choose one of the programs in the list."
    elif program.kind is ProgramKind.MENTORSHIP:
        role = _mentorship_role(form.role, errors)
        if role is Role.MENTOR and not skills and "skills" not in errors:
            errors["skills"] = "Tell mentees what you can help with (for example: Python, career)."
        if role is Role.MENTEE and not goals and "goals" not in errors:
            errors["goals"] = "Tell us what you'd like to learn, so we can find the right mentor."
    return Checked(
        form=EnrollmentForm(
            role=role,
            interests=interests,
            skills=skills,
            goals=goals,
            capacity=(capacity or (program.mentor_capacity if program else None))
            if role is Role.MENTOR
            else None,
            preferences={PREFER_CROSS_TEAM: True} if form.prefer_cross_team else {},
        ),
        team=team,
        hours=_hours(start, end, errors),
        errors=errors,
    )


def _mentorship_role(value: str | None, errors: dict[str, str]) -> Role:
    if value in (Role.MENTOR.value, Role.MENTEE.value):
        return Role(value)
    errors["role"] = "This is a mentorship program: choose whether you'll mentor or be mentored."
    return Role.MENTEE


def _hours(start: int | None, end: int | None, errors: dict[str, str]) -> tuple[int, int] | None:
    if "work_start" in errors or "work_end" in errors:
        return None
    if start is None and end is None:
        return None
    begin = 9 * 60 if start is None else start
    finish = 17 * 60 if end is None else end
    if finish == begin:  # one ending before it starts is a night shift, past midnight
        errors["work_end"] = "Your working day should end at a different time than it starts."
        return None
    return begin, finish
