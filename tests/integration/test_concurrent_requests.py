"""The same request twice at once — a double click, a double submit, two processes
starting together — on SQLite and PostgreSQL: the loser gets the winner's friendly
answer (or "there is already a program called …"), never an error, and nothing is
stored twice.

Each test fires several identical pairs together, so at least one pair really
overlaps (on PostgreSQL, both transactions read "not there yet" before either writes).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.builders import checkin as buttons
from bot.config import ProgramConfig
from bot.errors import InvalidForm
from bot.kinds.config import read_config
from bot.services.checkins import answer_checkin
from bot.services.program_admin import save_program
from bot.services.programs import sync_config_programs
from bot.services.scope import Scope
from bot.services.signup import submit_signup
from pairing.models import Role
from storage import orm
from storage.records import WorkspaceRecord
from storage.repositories import Profile, ProgramSpec
from storage.repositories.enrollments import EnrollmentForm
from storage.repositories.rounds import NewGroup
from storage.uow import UnitOfWorkFactory
from tests.conftest import NOW
from tests.fakes.chat_platform import FakeChat
from tests.fakes.clock import FakeClock

PAIRS = 8


@pytest.fixture
def chat() -> FakeChat:
    chat = FakeChat().knows("ULEAD", admin=True)
    for index in range(2 * PAIRS):
        chat.knows(f"U{index:02d}")
    return chat


@pytest.fixture
def scope(uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord, chat: FakeChat) -> Scope:
    return Scope(workspace, uow_factory, chat, FakeClock(NOW))


async def _twice(make: Callable[[], Awaitable[Any]]) -> list[Any]:
    """Run two copies of one request at once; their results or exceptions."""
    return await asyncio.gather(make(), make(), return_exceptions=True)


async def _count(scope: Scope, table: type[orm.Base], **where: object) -> int:
    async with scope.unit(read_only=True) as uow:
        query = select(func.count()).select_from(table)
        for column, value in where.items():
            query = query.where(getattr(table, column) == value)
        return int(await uow.session.scalar(query) or 0)


async def _program(scope: Scope, name: str = "coffee") -> int:
    async with scope.unit() as uow:
        saved = await uow.programs.save(ProgramSpec(name=name), now=NOW, source="slack")
        await uow.commit()
    return saved.id


async def test_a_new_persons_double_submitted_signup_enrolls_them_once(scope: Scope) -> None:
    """Issue 13: the loser of people.upsert's race got "Sorry — something went wrong"."""
    program = await _program(scope)
    form = {"program": str(program), "interests": "chess"}
    people = [f"U{index:02d}" for index in range(PAIRS)]
    results = await asyncio.gather(
        *(_twice(lambda u=u: submit_signup(scope, u, form)) for u in people)  # type: ignore[misc]
    )
    for user_id, pair in zip(people, results, strict=True):
        assert not [r for r in pair if isinstance(r, BaseException)], (user_id, pair)
        assert [r.created for r in pair] == [True, True]  # both say "you're in"
    assert await _count(scope, orm.Person) == PAIRS
    assert await _count(scope, orm.Enrollment) == PAIRS


async def test_the_same_program_created_twice_at_once_is_created_once(scope: Scope) -> None:
    """Issue 13: the second create of one program name died on the unique key."""
    names = [f"club {index}" for index in range(PAIRS)]

    def create(name: str) -> Callable[[], Awaitable[Any]]:
        form = {"name": name, "kind": "coffee", "schedule": "every friday at 15:00"}
        return lambda: save_program(scope, "ULEAD", form)

    results = await asyncio.gather(*(_twice(create(name)) for name in names))
    for name, pair in zip(names, results, strict=True):
        won = [r for r in pair if not isinstance(r, BaseException)]
        lost = [r for r in pair if isinstance(r, BaseException)]
        assert len(won) == 1 and won[0][1] is True, (name, pair)
        assert len(lost) == 1 and isinstance(lost[0], InvalidForm), (name, pair)
        assert lost[0].errors == {"name": f"There is already a program called “{name}”."}
    assert await _count(scope, orm.Program) == PAIRS


async def test_a_program_created_twice_in_different_case_is_created_once(scope: Scope) -> None:
    forms = [
        {"name": name, "kind": "coffee", "schedule": "every friday at 15:00"}
        for name in ("Book Club", "book club")
    ]
    results = await asyncio.gather(
        *(save_program(scope, "ULEAD", form) for form in forms), return_exceptions=True
    )
    assert sum(isinstance(r, InvalidForm) for r in results) == 1, results
    assert await _count(scope, orm.Program) == 1


async def test_two_processes_starting_together_load_the_configured_programs_once(
    scope: Scope,
) -> None:
    programs = [ProgramConfig(read_config({"name": f"from file {i}"})) for i in range(PAIRS)]
    results = await _twice(
        lambda: sync_config_programs(scope.uow, scope.workspace_id, programs, clock=scope.clock)
    )
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert await _count(scope, orm.Program) == PAIRS


async def _groups(scope: Scope, members: list[tuple[str, str]]) -> list[int]:
    """A delivered round of ``members`` pairs; the group ids."""
    program = await _program(scope)
    async with scope.unit() as uow:
        ids = {}
        for user_id in {u for pair in members for u in pair}:
            person = await uow.people.upsert(Profile(user_id, user_id.lower()), now=NOW)
            ids[user_id] = person.id
        stored = await uow.rounds.create(
            program_id=program,
            seed=1,
            slot=NOW,
            trigger="manual",
            groups=[NewGroup([(ids[a], Role.PEER), (ids[b], Role.PEER)]) for a, b in members],
            left_out=[],
            notes=(),
            now=NOW,
        )
        await uow.rounds.mark_delivered(stored.id, now=NOW)
        await uow.commit()
    return [group.id for group in stored.groups]


def _click(scope: Scope, group_id: int, user_id: str, action: str) -> Callable[[], Awaitable[Any]]:
    return lambda: answer_checkin(
        scope, group_id=group_id, user_id=user_id, answer=buttons.ANSWERS[action], message=None
    )


async def test_a_double_clicked_we_met_is_recorded_once(scope: Scope) -> None:
    """Issue 13: the loser of record_checkin's race got "Sorry — something went wrong"."""
    pairs = [(f"U{2 * i:02d}", f"U{2 * i + 1:02d}") for i in range(PAIRS)]
    groups = await _groups(scope, pairs)
    results = await asyncio.gather(
        *(_twice(_click(scope, g, a, buttons.MET)) for g, (a, _) in zip(groups, pairs, strict=True))
    )
    for pair in results:
        assert not [r for r in pair if isinstance(r, BaseException)], pair
        assert [r.outcome for r in pair] == ["met", "met"]
    assert await _count(scope, orm.CheckinResponse) == PAIRS


async def test_two_members_answering_at_once_are_both_counted(scope: Scope) -> None:
    """One "we met" makes the group met, whichever answer is written last."""
    pairs = [(f"U{2 * i:02d}", f"U{2 * i + 1:02d}") for i in range(PAIRS)]
    groups = await _groups(scope, pairs)
    await asyncio.gather(
        *(
            task()
            for g, (a, b) in zip(groups, pairs, strict=True)
            for task in (_click(scope, g, a, buttons.MET), _click(scope, g, b, buttons.COULD_NOT))
        )
    )
    async with scope.unit(read_only=True) as uow:
        outcomes = list(
            await uow.session.scalars(select(orm.Group.outcome).where(orm.Group.id.in_(groups)))
        )
    assert outcomes == ["met"] * PAIRS
    assert await _count(scope, orm.CheckinResponse) == 2 * PAIRS


async def test_a_burst_of_clicks_is_stored_in_a_few_transactions(
    scope: Scope, engine: AsyncEngine
) -> None:
    """Issue 13: a transaction per click made the hundredth click of a burst wait for 99
    others on SQLite's one writer. Clicks that arrive while one commits go in the next."""
    pairs = [(f"U{2 * i:02d}", f"U{2 * i + 1:02d}") for i in range(PAIRS)]
    groups = await _groups(scope, pairs)
    clicks = [
        _click(scope, g, member, action)
        for g, (a, b) in zip(groups, pairs, strict=True)
        for member, action in ((a, buttons.NOT_YET), (b, buttons.MET), (a, buttons.COULD_NOT))
    ]
    commits: list[object] = []

    def committed(connection: object) -> None:
        commits.append(connection)

    event.listen(engine.sync_engine, "commit", committed)
    try:
        results = await asyncio.gather(*(click() for click in clicks))
    finally:
        event.remove(engine.sync_engine, "commit", committed)
    assert len(commits) <= len(clicks) // 3, len(commits)
    assert [r.outcome for r in results].count("met") >= PAIRS  # b's "met" and what follows
    async with scope.unit(read_only=True) as uow:
        answers = {g: await uow.rounds.answers(g) for g in groups}
        outcomes = set(
            await uow.session.scalars(select(orm.Group.outcome).where(orm.Group.id.in_(groups)))
        )
    assert outcomes == {"met"}  # one "we met" makes the group met, whatever came after
    for group, (a, b) in zip(groups, pairs, strict=True):  # a's two clicks: one answer kept
        assert answers[group].keys() == {a, b}
        assert (answers[group][a], answers[group][b]) in {("not_yet", "met"), ("could_not", "met")}


async def test_answering_a_check_in_starts_the_count_of_ignored_ones_again(scope: Scope) -> None:
    """Only the clickers' own counts go back to 0 (one statement for a whole batch)."""
    pairs = [("U00", "U01"), ("U02", "U03")]
    groups = await _groups(scope, pairs)
    async with scope.unit() as uow:
        program = await uow.programs.by_name("coffee")
        assert program is not None
        for user_id in ("U00", "U01", "U02", "U03"):
            person = await uow.people.by_user_id(user_id)
            assert person is not None
            saved, _ = await uow.enrollments.save(program.id, person.id, EnrollmentForm(), now=NOW)
            await uow.enrollments.set_missed_checkins(saved.id, 2, now=NOW)
        await uow.commit()
    await asyncio.gather(
        _click(scope, groups[0], "U00", buttons.MET)(),
        _click(scope, groups[1], "U03", buttons.NOT_YET)(),
    )
    async with scope.unit(read_only=True) as uow:
        enrolled = await uow.enrollments.for_program(program.id)
    missed = {e.person.user_id: e.missed_checkins for e in enrolled}
    assert missed == {"U00": 0, "U01": 2, "U02": 2, "U03": 0}
