"""Units of work let a click Slack waits on go first, on SQLite and PostgreSQL: one that
starts while a click is waited on waits (at most ``YIELD_SECONDS``); one opened inside
another never does, or it would hold the outer one's connection (and SQLite's writer)
while it waited."""

from __future__ import annotations

import asyncio

from storage import priority
from storage.records import WorkspaceRecord
from storage.uow import UnitOfWorkFactory


async def test_a_unit_starting_while_slack_waits_on_a_click_lets_it_go_first(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    loop, started = asyncio.get_running_loop(), []

    async def report() -> None:
        async with uow_factory(workspace.id, read_only=True):
            started.append(loop.time())

    with priority.urgency().running_one():
        began = loop.time()
        waiting = asyncio.ensure_future(report())
        await asyncio.sleep(0.1)
        assert started == []
    await waiting
    assert started[0] - began < priority.YIELD_SECONDS


async def test_a_unit_inside_another_never_waits_for_a_click(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    loop = asyncio.get_running_loop()
    async with uow_factory(workspace.id) as outer:
        with priority.urgency().running_one():
            began = loop.time()
            async with uow_factory(workspace.id, read_only=True) as inner:
                await inner.programs.all()
            assert loop.time() - began < priority.YIELD_SECONDS / 2
        await outer.programs.all()
