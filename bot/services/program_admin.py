"""Leads create and edit programs (from the program form); every change is audited."""

from __future__ import annotations

import logging

from bot import forms, readers
from bot.errors import InvalidForm, UnknownProgram
from bot.kinds import program_form as program_fields
from bot.kinds.common import NAME
from bot.services.leads import require_lead
from bot.services.scope import Scope
from storage.records import ProgramRecord
from storage.repositories import Profile, ProgramSpec
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


async def program_to_edit(
    scope: Scope, user_id: str, *, name: str | None = None, program_id: int | None = None
) -> tuple[Profile, ProgramRecord | None]:
    """Lead only: the lead's profile, and the program to edit (None for a new one).

    ``UnknownProgram`` when ``name`` names no program of this workspace.
    """
    lead = await require_lead(scope, user_id)
    if not name and program_id is None:
        return lead, None
    async with scope.unit(read_only=True) as uow:
        program = (
            await uow.programs.by_name(name) if name else await uow.programs.get(program_id or 0)
        )
    if program is None:
        raise UnknownProgram(name or "")
    return lead, program


def program_form(program: ProgramRecord | None, *, default_timezone: str) -> forms.Form:
    """The form to create a program (None) or edit ``program``, in any platform's hands."""
    return program_fields.program_form(program, default_timezone=default_timezone)


async def save_program(
    scope: Scope, user_id: str, answers: forms.Answers, *, program_id: int | None = None
) -> tuple[ProgramRecord, bool]:
    """Lead only. Create (``program_id`` None) or update the program from the program
    form's ``answers``; returns it and whether it is new. ``InvalidForm`` names each
    field at fault."""
    await require_lead(scope, user_id)
    now = scope.clock()
    async with scope.unit() as uow:
        await uow.programs.lock_names()  # two leads creating one name: the second is told
        editing = await _editing(uow, program_id)
        spec = await _checked(uow, answers, editing)
        saved = await uow.programs.save(
            spec, now=now, source="slack", program_id=editing.id if editing else None
        )
        await uow.audit.add(
            actor=user_id,
            action="program.updated" if editing else "program.created",
            now=now,
            target=saved.name,
            details={"program_id": saved.id, "schedule": saved.schedule, "kind": saved.kind},
        )
        await uow.commit()
    log.info("lead %s %s program %s", user_id, "updated" if editing else "created", saved.name)
    return saved, editing is None


async def _checked(
    uow: UnitOfWork, answers: forms.Answers, editing: ProgramRecord | None
) -> ProgramSpec:
    """The answers as a spec, each field checked by its declaration (``bot.kinds``), and
    what needs the database: the name must not be another program's."""
    values, errors = program_fields.read(answers)
    name = values.get(NAME.name)
    same = await uow.programs.by_name(name) if name else None
    if same is not None and (editing is None or same.id != editing.id):
        errors[NAME.field_name] = f"There is already a program called “{same.name}”."
    if errors:
        raise InvalidForm(errors)
    return program_fields.spec(values)


async def _editing(uow: UnitOfWork, raw_id: int | None) -> ProgramRecord | None:
    if raw_id is None:
        return None
    program_id = readers.record_id(raw_id)
    if program_id is None:
        raise InvalidForm({"name": "That program no longer exists."})
    program = await uow.programs.get(program_id)
    if program is None:
        raise InvalidForm({"name": "That program no longer exists."})
    return program
