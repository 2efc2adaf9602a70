"""The member use cases through a fake chat platform, specified on the in-memory unit of
work (the repositories themselves are tested on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import InvalidForm, NoPrograms, NotALead, NotEnrolled, UnknownUser
from bot.services import channels, membership
from bot.services.home import home
from bot.services.program_admin import save_program
from bot.services.scope import Scope
from bot.services.signup import signup_draft, submit_signup
from pairing.models import Role
from storage.repositories import ProgramSpec
from storage.uow import UnitOfWorkFactory
from tests.conftest import NOW
from tests.fakes.chat_platform import FakeChat
from tests.fakes.clock import FakeClock


@pytest.fixture
def chat() -> FakeChat:
    return FakeChat().knows("U1").knows("U2").knows("ULEAD", admin=True)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
async def scope(memory_uow: UnitOfWorkFactory, chat: FakeChat, clock: FakeClock) -> Scope:
    workspace = await memory_uow.ensure_workspace("slack", "T0001", name="Acme", now=NOW)
    return Scope(workspace, memory_uow, chat, clock, admins=frozenset({"UCONFIG"}))


async def _program(scope: Scope, name: str = "coffee", **extra: object) -> int:
    async with scope.unit() as uow:
        saved = await uow.programs.save(ProgramSpec(name=name, **extra), now=NOW, source="slack")  # type: ignore[arg-type]
        await uow.commit()
    return saved.id


async def test_signup_needs_a_program_to_exist(scope: Scope) -> None:
    with pytest.raises(NoPrograms):
        await signup_draft(scope, "U1")


async def test_a_timed_pause_ends_by_itself_and_resume_clears_it(
    scope: Scope, clock: FakeClock
) -> None:
    program = await _program(scope)
    await submit_signup(scope, "U1", {"program": str(program)})
    paused = await membership.pause(scope, "U1", 3)
    assert paused.until == NOW + timedelta(weeks=3)
    [match] = await membership.current_matches(scope, "U1")
    assert match.group is None
    clock.advance(weeks=3, seconds=1)
    data = await home(scope, "U1")
    assert data.memberships[0].enrollment.is_active(clock())
    await membership.pause(scope, "U1", None)
    await membership.resume(scope, "U1")
    data = await home(scope, "U1")
    assert not data.memberships[0].enrollment.paused


async def test_nothing_happens_for_someone_the_platform_forgot(
    scope: Scope, chat: FakeChat
) -> None:
    program = await _program(scope)
    await submit_signup(scope, "U1", {"program": str(program)})
    del chat.people["U1"]
    for use_case in (membership.pause(scope, "U1", 2), membership.resume(scope, "U1")):
        with pytest.raises(UnknownUser):
            await use_case
    with pytest.raises(UnknownUser):
        await submit_signup(scope, "U1", {"program": str(program), "interests": "x"})
    draft = await signup_draft(scope, "U1")
    assert draft.answers["interests"] == ""


async def test_leaving_every_program_anonymises_and_audits_without_the_user_id(
    scope: Scope,
) -> None:
    program = await _program(scope)
    await submit_signup(scope, "U1", {"program": str(program), "interests": "tea"})
    left = await membership.leave(scope, "U1")
    assert left.erased
    with pytest.raises(NotEnrolled):
        await membership.pause(scope, "U1", None)
    async with scope.unit() as uow:
        assert await uow.people.by_user_id("U1") is None
        [(_, actor, action, target)] = await uow.audit.recent()
    assert action == "member.left" and actor.startswith("person:") and target == "coffee"


async def test_joining_a_channel_enrolls_once_and_leaving_pauses(scope: Scope) -> None:
    program = await _program(scope, channel_id="C1", join_via_channel=True, kind="mentorship")
    joined = await channels.joined_channel(scope, "U2", "C1")
    assert [p.id for p in joined] == [program]
    assert await channels.joined_channel(scope, "U2", "C1") == []
    [paused] = await channels.left_channel(scope, "U2", "C1")
    assert paused.id == program
    data = await home(scope, "U2")
    assert data.memberships[0].enrollment.role is Role.MENTEE
    assert data.memberships[0].enrollment.paused


async def test_only_leads_save_programs_and_every_change_is_audited(scope: Scope) -> None:
    form = {"name": "book club", "kind": "coffee", "schedule": "every friday at 15:00"}
    with pytest.raises(NotALead):
        await save_program(scope, "U1", form)
    created, new = await save_program(scope, "ULEAD", form)
    assert new and created.name == "book club"
    with pytest.raises(InvalidForm) as caught:
        await save_program(scope, "ULEAD", form)
    assert set(caught.value.errors) == {"name"}
    renamed, new = await save_program(scope, "ULEAD", form, program_id=created.id)
    assert not new and renamed.id == created.id
    async with scope.unit() as uow:
        actions = [action for _, _, action, _ in await uow.audit.recent()]
    assert actions == ["program.updated", "program.created"]


async def test_a_lead_sees_the_dashboard_and_a_member_does_not(scope: Scope) -> None:
    await _program(scope)
    assert (await home(scope, "U1")).lead is None
    [report] = (await home(scope, "ULEAD")).lead or ()
    assert report.program.name == "coffee" and report.next_round_at is not None
