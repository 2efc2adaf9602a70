"""Signing up: what the signup form shows, and what happens when it is submitted.

Running signup again shows the same form filled in and edits the enrollment; the
(program, person) unique key makes a second enrollment impossible.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot import forms, readers
from bot.errors import InvalidForm, NoPrograms, UnknownProgram
from bot.kinds import KINDS
from bot.services.scope import Scope
from bot.services.signup_form import (
    GOALS,
    INTERESTS,
    PREFER_CROSS_TEAM,
    PREFERENCES,
    PROGRAM,
    SKILLS,
    TEAM,
    WORK_END,
    WORK_START,
    check,
    signup_form,
)
from storage.records import EnrollmentRecord, PersonRecord, ProgramRecord
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SignupDraft:
    """What the form shows: the active programs, which one is selected, answers so far."""

    programs: tuple[ProgramRecord, ...]
    selected: ProgramRecord
    answers: forms.Answers
    editing: bool = False

    def form(self, *, platform: str) -> forms.Form:
        """The signup form, filled in (``platform``: where names and time zones come from)."""
        return signup_form(self.programs, self.answers, editing=self.editing, platform=platform)


@dataclass(frozen=True, slots=True)
class SignupResult:
    program: ProgramRecord
    enrollment: EnrollmentRecord
    created: bool


async def signup_draft(
    scope: Scope, user_id: str, program_name: str | None = None, *, program_id: int | None = None
) -> SignupDraft:
    """The form for ``user_id``: prefilled from their enrollment when they have one."""
    async with scope.unit(read_only=True) as uow:
        programs = tuple(await uow.programs.all(active_only=True))
        if not programs:
            raise NoPrograms()
        person = await uow.people.by_user_id(user_id)
        enrolled = await uow.enrollments.for_person(person.id) if person else []
    selected = _choose(programs, enrolled, program_name, program_id)
    existing = next((e for e in enrolled if e.program_id == selected.id), None)
    return SignupDraft(
        programs=programs,
        selected=selected,
        answers=_answers(selected, existing, person),
        editing=existing is not None,
    )


async def submit_signup(scope: Scope, user_id: str, answers: forms.Answers) -> SignupResult:
    """Check the signup form's answers (``InvalidForm`` names each field at fault), then
    enroll or edit.

    One transaction: a form that fails its checks leaves nothing behind.
    """
    profile = await scope.platform.user_profile(user_id)
    now = scope.clock()
    async with scope.unit() as uow:
        program = await _program(uow, forms.text(answers, PROGRAM))
        checked = check(program, answers)
        if checked.errors or program is None:
            raise InvalidForm(checked.errors or {"program": "Please choose a program."})
        person = await uow.people.upsert(profile, now=now)
        await uow.people.set_team(person.id, checked.team, now=now)
        if checked.hours is not None:
            await uow.people.set_working_hours(person.id, *checked.hours, now=now)
        enrollment, created = await uow.enrollments.save(
            program.id, person.id, checked.form, now=now
        )
        await uow.commit()
    log.info("%s %s in %s", "enrolled" if created else "updated", user_id, program.name)
    return SignupResult(program, enrollment, created)


async def _program(uow: UnitOfWork, raw_id: str | None) -> ProgramRecord | None:
    """The chosen program, only if it is active and belongs to this workspace."""
    program_id = readers.record_id(raw_id)
    if program_id is None:
        return None
    program = await uow.programs.get(program_id)
    return program if program is not None and program.active else None


def _choose(
    programs: tuple[ProgramRecord, ...],
    enrolled: list[EnrollmentRecord],
    name: str | None,
    program_id: int | None = None,
) -> ProgramRecord:
    by_id = next((p for p in programs if p.id == program_id), None)
    if by_id is not None:
        return by_id
    if name:
        wanted = name.casefold()
        found = next((p for p in programs if p.name.casefold() == wanted), None)
        if found is None:
            raise UnknownProgram(name)
        return found
    mine = {e.program_id for e in enrolled}
    return next((p for p in programs if p.id in mine), programs[0])


def _answers(
    program: ProgramRecord, existing: EnrollmentRecord | None, person: PersonRecord | None
) -> dict[str, forms.Answer]:
    """The form's answers so far: the person's own, or what a newcomer starts from."""
    hours = (person.work_start, person.work_end) if person else (9 * 60, 17 * 60)
    answers: dict[str, forms.Answer] = {
        PROGRAM: str(program.id),
        WORK_START: readers.hhmm(hours[0]),
        WORK_END: readers.hhmm(hours[1]),
    }
    if person is not None and person.team:
        answers[TEAM] = person.team
    if existing is None:
        return answers
    for name, items in ((INTERESTS, existing.interests), (SKILLS, existing.skills)):
        answers[name] = ", ".join(items)
    answers[GOALS] = ", ".join(existing.goals)
    if existing.preferences.get(PREFER_CROSS_TEAM):
        answers[PREFERENCES] = frozenset({PREFER_CROSS_TEAM})
    for question in KINDS.signup_fields():
        given = question.prefill(existing)
        if given is not None:
            answers[question.name] = given
    return answers
