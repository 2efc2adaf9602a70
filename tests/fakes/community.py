"""A simulated workspace full of people, enrolled in a program (for round tests)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime

from bot.slack.simulator.workspace import SimulatedUser, SimulatedWorkspace
from storage.records import ProgramRecord
from storage.repositories import Profile, ProgramSpec
from storage.repositories.enrollments import EnrollmentForm
from storage.uow import UnitOfWorkFactory

ZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "Europe/Madrid", "UTC")
TEAMS = ("Platform", "Data", "Design", "Sales", "Support", "Finance")
INTERESTS = ("chess", "tea", "hiking", "jazz", "cooking", "running", "books", "film")
TITLES = ("Engineer", "Designer", "Analyst", "Manager", "Account Executive")


def people(count: int, *, seed: int = 7, prefix: str = "U") -> list[SimulatedUser]:
    rng = random.Random(seed)
    return [
        SimulatedUser(
            id=f"{prefix}{i:04d}",
            name=f"person{i}",
            real_name=f"Person {i}",
            title=rng.choice(TITLES),
            tz=rng.choice(ZONES),
        )
        for i in range(count)
    ]


def add_to_slack(workspace: SimulatedWorkspace, users: Sequence[SimulatedUser]) -> None:
    for user in users:
        workspace.add_user(user)


async def enroll(
    uow_factory: UnitOfWorkFactory,
    workspace_id: int,
    users: Sequence[SimulatedUser],
    *,
    now: datetime,
    program: str = "coffee",
    seed: int = 7,
    roles: dict[str, str] | None = None,
    **spec: object,
) -> ProgramRecord:
    """Create (or update) the program and sign everyone up, as the signup modal would."""
    from pairing.models import Role

    rng = random.Random(seed)
    async with uow_factory(workspace_id) as uow:
        record = await uow.programs.save(
            ProgramSpec(name=program, **spec),  # type: ignore[arg-type]
            now=now,
            source="test",
        )
        for user in users:
            person = await uow.people.upsert(
                Profile(user.id, user.name, user.real_name, user.title, user.tz), now=now
            )
            await uow.people.set_team(person.id, rng.choice(TEAMS), now=now)
            role = Role((roles or {}).get(user.id, "peer"))
            form = EnrollmentForm(
                role=role,
                interests=rng.sample(INTERESTS, 2),
                skills=["python", "leadership"] if role is Role.MENTOR else [],
                goals=["python"] if role is Role.MENTEE else [],
            )
            await uow.enrollments.save(record.id, person.id, form, now=now)
        await uow.commit()
    return record
