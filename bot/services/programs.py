"""Programs declared in the TOML file are kept in step with the database."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.clock import Clock
from bot.config import ProgramConfig
from bot.kinds import program_form
from storage.records import ProgramRecord
from storage.repositories import ProgramSpec
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)


def spec_from_config(program: ProgramConfig) -> ProgramSpec:
    return program_form.spec(program.values)


async def sync_config_programs(
    uow_factory: UnitOfWorkFactory,
    workspace_id: int,
    programs: Sequence[ProgramConfig],
    *,
    clock: Clock,
) -> list[ProgramRecord]:
    """Create or update each configured program in the workspace (the file wins)."""
    if not programs:
        return []
    now = clock()
    async with uow_factory(workspace_id) as uow:
        await uow.programs.lock_names()  # two processes starting together: one creates
        saved = [
            await uow.programs.save(spec_from_config(p), now=now, source="config") for p in programs
        ]
        await uow.commit()
    log.info("programs from the config file: %s", ", ".join(p.name for p in saved))
    return saved
