"""Mentorships in storage: the 0006 migration turns past pairs into relationships, and
state changes that two clicks could race on change a row once (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from pairing.models import Role
from storage.db import session_factory
from storage.migrate import upgrade
from storage.records import GoalProgress
from storage.repositories import NewMentorship, Profile, ProgramSpec
from storage.repositories.enrollments import EnrollmentForm
from storage.repositories.rounds import NewGroup
from storage.uow import UnitOfWorkFactory
from tests.conftest import NOW
from tests.integration.test_migrations import empty_url, fresh  # noqa: F401  (fixtures)


async def test_upgrading_turns_past_pairs_into_former_and_the_newest_into_active_mentorships(
    fresh: AsyncEngine,  # noqa: F811
) -> None:
    await upgrade(fresh, "0005")
    units = UnitOfWorkFactory(session_factory(fresh))
    workspace = await units.ensure_workspace("slack", "T1", name="Acme", now=NOW)
    async with units(workspace.id) as uow:
        program = await uow.programs.save(
            ProgramSpec(name="mentoring", kind="mentorship", settings={"term_weeks": 6}),
            now=NOW,
            source="test",
        )
        coffee = await uow.programs.save(ProgramSpec(name="coffee"), now=NOW, source="test")
        people = {}
        for user, role, goals in (
            ("UA", Role.MENTOR, []),
            ("UD", Role.MENTOR, []),
            ("UB", Role.MENTEE, ["public speaking"]),
            ("UC", Role.MENTEE, ["Kubernetes", "career"]),
        ):
            people[user] = person = await uow.people.upsert(
                Profile(user_id=user, display_name=user), now=NOW
            )
            await uow.enrollments.save(
                program.id, person.id, EnrollmentForm(role=role, goals=goals), now=NOW
            )
        for week, pairs in enumerate(((("UA", "UB"),), (("UA", "UC"), ("UD", "UB")))):
            await uow.rounds.create(
                program_id=program.id,
                seed=week,
                slot=NOW + timedelta(weeks=week),
                trigger="manual",
                groups=[
                    NewGroup(members=[(people[m].id, Role.MENTOR), (people[e].id, Role.MENTEE)])
                    for m, e in pairs
                ],
                left_out=[],
                notes=[],
                now=NOW,
            )
        await uow.rounds.create(  # a coffee round is no mentorship
            program_id=coffee.id,
            seed=9,
            slot=NOW,
            trigger="manual",
            groups=[NewGroup(members=[(people["UA"].id, Role.PEER), (people["UB"].id, Role.PEER)])],
            left_out=[],
            notes=[],
            now=NOW,
        )
        await uow.commit()

    await upgrade(fresh)

    async with units(workspace.id, read_only=True) as uow:
        found = await uow.mentorships.for_program(program.id)
        assert await uow.mentorships.for_program(coffee.id) == []
    by_pair = {(m.mentor.user_id, m.mentee.user_id): m for m in found}
    assert set(by_pair) == {("UA", "UB"), ("UA", "UC"), ("UD", "UB")}
    former = by_pair["UA", "UB"]
    assert former.state == "completed" and not former.open
    assert former.ended_at == NOW + timedelta(weeks=1)
    newest = by_pair["UA", "UC"]
    assert newest.state == "active" and newest.decided_by == "engine"
    assert newest.started_at == NOW + timedelta(weeks=1)
    assert newest.ends_at == NOW + timedelta(weeks=7)  # the program's 6-week term
    assert newest.next_checkin_at == NOW + timedelta(weeks=3)  # every 2 weeks by default
    assert newest.goals == (
        GoalProgress("Kubernetes", "not_started"),
        GoalProgress("career", "not_started"),
    )
    assert by_pair["UD", "UB"].state == "active"


async def _mentorship_setup(uow_factory, workspace):  # type: ignore[no-untyped-def]
    async with uow_factory(workspace.id) as uow:
        program = await uow.programs.save(
            ProgramSpec(name="mentoring", kind="mentorship"), now=NOW, source="test"
        )
        people = {}
        for user, role in (("UM", Role.MENTOR), ("U1", Role.MENTEE), ("U2", Role.MENTEE)):
            people[user] = person = await uow.people.upsert(
                Profile(user_id=user, display_name=user), now=NOW
            )
            await uow.enrollments.save(
                program.id, person.id, EnrollmentForm(role=role, capacity=1), now=NOW
            )
        await uow.commit()
    return program, people


async def test_a_proposal_is_accepted_once_even_when_two_clicks_race(
    uow_factory: UnitOfWorkFactory, workspace
) -> None:
    program, people = await _mentorship_setup(uow_factory, workspace)
    async with uow_factory(workspace.id) as uow:
        proposed = await uow.mentorships.create(
            NewMentorship(
                program_id=program.id,
                mentor_id=people["UM"].id,
                mentee_id=people["U1"].id,
                state="proposed",
                decided_by="mentee",
                goals=["public speaking"],
            ),
            now=NOW,
        )
        await uow.commit()

    async def accept() -> bool:
        async with uow_factory(workspace.id) as uow:
            changed = await uow.mentorships.transition(
                proposed.id, from_states=("proposed",), now=NOW, state="active", started_at=NOW
            )
            await asyncio.sleep(0.05)  # both transactions are open at once
            await uow.commit()
            return changed

    results = await asyncio.gather(accept(), accept())
    assert sorted(results) == [False, True]
    async with uow_factory(workspace.id, read_only=True) as uow:
        again = await uow.mentorships.get(proposed.id)
        assert again is not None and again.state == "active"
        assert await uow.mentorships.open_places_taken(program.id, people["UM"].id) == 1
        mine = await uow.mentorships.for_person(people["U1"].id, states=("active",))
        assert [m.id for m in mine] == [proposed.id]
        assert mine[0].side("U1") == "mentee" and mine[0].other("U1").user_id == "UM"


async def test_a_mentor_with_one_place_is_not_taken_twice_by_two_acceptances_at_once(
    uow_factory: UnitOfWorkFactory, workspace
) -> None:
    """Each acceptance locks the mentor's enrollment, counts the places taken, and only
    then takes one: of two at once, the second sees the first and declines to."""
    program, people = await _mentorship_setup(uow_factory, workspace)
    capacity = 1

    async def take(mentee: str) -> bool:
        async with uow_factory(workspace.id) as uow:
            await uow.mentorships.lock_mentor(program.id, people["UM"].id)
            taken = await uow.mentorships.open_places_taken(program.id, people["UM"].id)
            await asyncio.sleep(0.05)
            if taken >= capacity:
                return False
            await uow.mentorships.create(
                NewMentorship(
                    program_id=program.id,
                    mentor_id=people["UM"].id,
                    mentee_id=people[mentee].id,
                    state="active",
                    decided_by="mentee",
                ),
                now=NOW,
            )
            await uow.commit()
            return True

    results = await asyncio.gather(take("U1"), take("U2"))
    assert sorted(results) == [False, True]
    async with uow_factory(workspace.id, read_only=True) as uow:
        assert await uow.mentorships.open_places_taken(program.id, people["UM"].id) == 1
