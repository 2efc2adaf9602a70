"""Meeting feedback on SQLite and PostgreSQL: one answer per person per group, however
often or however concurrently it is given."""

from __future__ import annotations

import asyncio

from pairing.models import Role
from storage.records import WorkspaceRecord
from storage.repositories import Profile, ProgramSpec
from storage.repositories.rounds import NewGroup
from storage.uow import UnitOfWorkFactory
from tests.conftest import NOW


async def _group(uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord):
    async with uow_factory(workspace.id) as uow:
        a = await uow.people.upsert(Profile(user_id="UA", display_name="a"), now=NOW)
        b = await uow.people.upsert(Profile(user_id="UB", display_name="b"), now=NOW)
        program = await uow.programs.save(ProgramSpec(name="coffee"), now=NOW, source="test")
        stored = await uow.rounds.create(
            program_id=program.id,
            seed=1,
            slot=NOW,
            trigger="manual",
            groups=[NewGroup(members=[(a.id, Role.PEER), (b.id, Role.PEER)])],
            left_out=[],
            notes=[],
            now=NOW,
        )
        await uow.commit()
    return program, stored.groups[0].id, a, b


async def test_one_answer_per_person_per_group_and_a_second_click_only_changes_it(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    program, group_id, a, b = await _group(uow_factory, workspace)
    for _ in range(2):  # a double click
        async with uow_factory(workspace.id) as uow:
            await uow.feedback.record(group_id, a.id, came_of="learned", now=NOW)
            await uow.commit()
    async with uow_factory(workspace.id) as uow:
        await uow.feedback.record(group_id, a.id, rating=4, now=NOW)  # keeps "learned"
        await uow.feedback.record(group_id, b.id, came_of="friend", now=NOW)
        await uow.feedback.record(group_id, b.id, came_of="idea", now=NOW)  # changes it
        await uow.commit()
    async with uow_factory(workspace.id, read_only=True) as uow:
        assert await uow.feedback.answered(group_id) == 2
        assert await uow.feedback.mine(group_id, a.id) == ("learned", 4)
        answers = await uow.feedback.for_program(program.id)
    assert sorted((x.round_number, x.came_of, x.rating) for x in answers) == [
        (1, "idea", None),
        (1, "learned", 4),
    ]


async def test_concurrent_clicks_leave_one_row(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    program, group_id, a, _ = await _group(uow_factory, workspace)

    async def click(came_of: str) -> None:
        async with uow_factory(workspace.id) as uow:
            await uow.feedback.record(group_id, a.id, came_of=came_of, now=NOW)
            await uow.commit()

    await asyncio.gather(*(click(c) for c in ("career", "career", "friend", "career")))
    async with uow_factory(workspace.id, read_only=True) as uow:
        assert await uow.feedback.answered(group_id) == 1
        assert len(await uow.feedback.for_program(program.id)) == 1


async def test_feedback_of_another_workspace_is_not_read(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    program, group_id, a, _ = await _group(uow_factory, workspace)
    async with uow_factory(workspace.id) as uow:
        await uow.feedback.record(group_id, a.id, came_of="career", now=NOW)
        await uow.commit()
    other = await uow_factory.ensure_workspace("slack", "T0002", name="Other", now=NOW)
    async with uow_factory(other.id, read_only=True) as uow:
        assert await uow.feedback.answered(group_id) == 0
        assert await uow.feedback.for_program(program.id) == []
