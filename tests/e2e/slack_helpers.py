"""Helpers for the Slack-surface end-to-end tests: programs to join, people signed up
through the real modal, and reading back what was stored or shown."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from bot.bootstrap import Container
from bot.simulator.driver import Reply, SlackDriver
from bot.simulator.slack_api import SlackApiSimulator as SimulatorLike
from storage.records import EnrollmentRecord, PersonRecord, ProgramRecord
from storage.repositories import ProgramSpec
from tests.conftest import NOW


async def workspace_id(container: Container, team_id: str = "T0001") -> int:
    async with container.uow.workspaces() as workspaces:
        return (await workspaces.ensure("slack", team_id, name=team_id, now=NOW)).id


async def add_program(
    container: Container, name: str, kind: str = "coffee", team_id: str = "T0001", **extra: Any
) -> ProgramRecord:
    spec = ProgramSpec(name=name, kind=kind, timezone="Europe/Berlin", **extra)
    async with container.uow(await workspace_id(container, team_id)) as uow:
        program = await uow.programs.save(spec, now=NOW, source="slack")
        await uow.commit()
    return program


async def sign_up(
    driver: SlackDriver, user_id: str, values: dict[str, Any], text: str = "signup"
) -> Reply:
    """``/mentor signup``, then submit the modal the app opened, as the Slack client does."""
    opened = await driver.command(user_id, text)
    assert opened.status == 200, opened.body
    view = driver.opened_view(opened)
    return await driver.submit(user_id, view, values)


async def person(container: Container, user_id: str, team_id: str = "T0001") -> PersonRecord | None:
    async with container.uow(await workspace_id(container, team_id)) as uow:
        return await uow.people.by_user_id(user_id)


async def enrollments(
    container: Container, user_id: str, team_id: str = "T0001", *, include_left: bool = False
) -> list[EnrollmentRecord]:
    async with container.uow(await workspace_id(container, team_id)) as uow:
        found = await uow.people.by_user_id(user_id)
        if found is None:
            return []
        return await uow.enrollments.for_person(found.id, include_left=include_left)


async def wait_until(check: Callable[[], Any], wait: float = 3.0) -> Any:
    """Poll ``check`` (sync or async) until it returns something truthy."""
    deadline = time.monotonic() + wait
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result or time.monotonic() >= deadline:
            return result
        await asyncio.sleep(0.02)


def texts(reply: Reply) -> str:
    """Everything a person reads in a reply, block texts included."""
    return reply.text


def later_responses(slack: SimulatorLike, reply: Reply) -> list[dict[str, Any]]:
    """What the app posted, after the fact, to the response_url of ``reply``'s command."""
    key = reply.trigger_id.split(".")[0]
    with slack._lock:
        return list(slack.workspace.responses.get(key, []))
