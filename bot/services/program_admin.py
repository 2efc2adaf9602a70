"""Leads create and edit programs (from the program form); every change is audited."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import readers
from bot.errors import InvalidForm, UnknownProgram
from bot.schedule import ScheduleError, parse_schedule
from bot.services.leads import require_lead
from bot.services.scope import Scope
from storage.records import ProgramRecord
from storage.repositories import Profile, ProgramSpec
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
KINDS = ("coffee", "mentorship")
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,20}")


@dataclass(frozen=True, slots=True)
class ProgramInput:
    """The program form as submitted (raw strings; checked here)."""

    program_id: str | None = None  # set when editing
    name: str | None = None
    kind: str | None = None
    channel: str | None = None
    schedule: str | None = None
    timezone: str | None = None
    group_size: str | None = None
    capacity: str | None = None
    checkin_days: str | None = None
    join_via_channel: bool = False
    reoffer_missed: bool = False
    active: bool = True


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


async def save_program(
    scope: Scope, user_id: str, form: ProgramInput
) -> tuple[ProgramRecord, bool]:
    """Lead only. Create or update the program; returns it and whether it is new."""
    await require_lead(scope, user_id)
    now = scope.clock()
    async with scope.unit() as uow:
        editing = await _editing(uow, form.program_id)
        spec = await _checked(uow, form, editing)
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
    uow: UnitOfWork, form: ProgramInput, editing: ProgramRecord | None
) -> ProgramSpec:
    """``check`` plus what needs the database: the name must not be another program's."""
    errors: dict[str, str] = {}
    spec: ProgramSpec | None = None
    try:
        spec = check(form)
    except InvalidForm as exc:
        errors = exc.errors
    name = (
        spec.name
        if spec
        else readers.collect({}, "name", lambda: readers.short_text(form.name), None)
    )
    same = await uow.programs.by_name(name) if name else None
    if same is not None and (editing is None or same.id != editing.id):
        errors["name"] = f"There is already a program called “{same.name}”."
    if errors or spec is None:
        raise InvalidForm(errors)
    return spec


def check(form: ProgramInput) -> ProgramSpec:
    """A ProgramSpec, or ``InvalidForm`` naming every field at fault."""
    errors: dict[str, str] = {}
    name = readers.collect(errors, "name", lambda: readers.short_text(form.name), None)
    if not name and "name" not in errors:
        errors["name"] = "Please give the program a name."
    kind = form.kind if form.kind in KINDS else None
    if kind is None:
        errors["kind"] = "Choose coffee or mentorship."
    channel = (form.channel or "").strip() or None
    if channel is not None and not _CHANNEL_ID.fullmatch(channel):
        errors["channel"] = "Please pick a channel from the list."
    schedule = readers.collect(errors, "schedule", lambda: _schedule(form.schedule), "")
    timezone = readers.collect(errors, "timezone", lambda: _timezone(form.timezone), "UTC")
    size = readers.collect(
        errors, "group_size", lambda: readers.whole_number(form.group_size, low=2, high=8), None
    )
    capacity = readers.collect(
        errors, "capacity", lambda: readers.whole_number(form.capacity, low=1, high=50), None
    )
    days = readers.collect(
        errors,
        "checkin_days",
        lambda: readers.whole_number(form.checkin_days, low=0, high=60),
        None,
    )
    if form.join_via_channel and channel is None and "channel" not in errors:
        errors["channel"] = "People can only join through a channel if you pick one."
    if errors:
        raise InvalidForm(errors)
    return ProgramSpec(
        name=str(name),
        kind=str(kind),
        schedule=schedule,
        timezone=timezone,
        channel_id=channel,
        group_size=size or 2,
        mentor_capacity=capacity or 2,
        checkin_after_days=3 if days is None else days,
        join_via_channel=form.join_via_channel,
        reoffer_missed=form.reoffer_missed,
        active=form.active,
    )


def _schedule(text: str | None) -> str:
    clean = " ".join((text or "").split())
    if not clean:
        raise ValueError("When should rounds happen? For example: every monday at 09:00.")
    if len(clean) > 200:
        raise ValueError("Please keep the schedule under 200 characters.")
    try:
        parse_schedule(clean)
    except ScheduleError as exc:
        raise ValueError(str(exc)) from None
    return clean


def _timezone(text: str | None) -> str:
    clean = (text or "").strip() or "UTC"
    try:
        if len(clean) > 64:
            raise ValueError(clean)
        ZoneInfo(clean)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(
            f"Unknown time zone; use a name like Europe/Berlin, not {clean[:40]!r}."
        ) from None
    return clean


async def _editing(uow: UnitOfWork, raw_id: str | None) -> ProgramRecord | None:
    if not raw_id:
        return None
    program_id = readers.record_id(raw_id)
    if program_id is None:
        raise InvalidForm({"name": "That program no longer exists."})
    program = await uow.programs.get(program_id)
    if program is None:
        raise InvalidForm({"name": "That program no longer exists."})
    return program
