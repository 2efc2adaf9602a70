"""Helpers for the Slack-surface end-to-end tests: programs to join, people signed up
through the real modal, and reading back what was stored or shown."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bot.core import Core
from bot.slack.simulator.driver import Reply, SlackDriver
from bot.slack.simulator.slack_api import SlackApiSimulator as SimulatorLike
from pairing.models import Reason, Role
from storage.records import EnrollmentRecord, PersonRecord, ProgramRecord
from storage.repositories import ProgramSpec
from storage.repositories.rounds import NewGroup
from tests.conftest import NOW


async def workspace_id(container: Core, team_id: str = "T0001") -> int:
    return (await container.uow.ensure_workspace("slack", team_id, name=team_id, now=NOW)).id


async def add_program(
    container: Core, name: str, kind: str = "coffee", team_id: str = "T0001", **extra: Any
) -> ProgramRecord:
    spec = ProgramSpec(name=name, kind=kind, timezone="Europe/Berlin", **extra)
    async with container.uow(await workspace_id(container, team_id)) as uow:
        program = await uow.programs.save(spec, now=NOW, source="slack")
        await uow.commit()
    return program


async def sign_up(
    driver: SlackDriver, user_id: str, values: dict[str, Any], text: str = "signup"
) -> Reply:
    """``/mentor signup``, then submit the modal the app opened, as the Slack client does.

    (Generous wait: SQLite serialises transactions, and the test machine is shared.)
    """
    opened = await driver.command(user_id, text, wait=10.0)
    assert opened.status == 200, opened.body
    view = driver.opened_view(opened)
    return await driver.submit(user_id, view, values)


async def person(container: Core, user_id: str, team_id: str = "T0001") -> PersonRecord | None:
    async with container.uow(await workspace_id(container, team_id)) as uow:
        return await uow.people.by_user_id(user_id)


async def enrollments(
    container: Core, user_id: str, team_id: str = "T0001", *, include_left: bool = False
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


def said(reply: Reply) -> list[dict[str, Any]]:
    """The messages a person got: the acknowledgement's, then the response_url posts."""
    messages = [m for m in reply.responses if isinstance(m, dict)]
    try:
        ack = reply.json()
    except ValueError:
        ack = {"text": reply.body}
    return [ack, *messages] if isinstance(ack, dict) and ack else messages


def readable(reply: Reply) -> str:
    """Everything a person reads in a reply (the ack and response_url posts), as text."""
    parts: list[str] = []
    for message in said(reply):
        if isinstance(message, dict):
            parts.append(str(message.get("text", "")))
            parts.append(block_texts(message.get("blocks") or []))
    return "\n".join(parts)


def later_responses(slack: SimulatorLike, reply: Reply) -> list[dict[str, Any]]:
    """What the app posted, after the fact, to the response_url of ``reply``'s command."""
    key = reply.trigger_id.split(".")[0]
    with slack._lock:
        return list(slack.workspace.responses.get(key, []))


async def store_round(
    container: Core,
    program: ProgramRecord,
    groups: list[list[str]],
    *,
    left_out: tuple[str, ...] = (),
    reasons: tuple[Reason, ...] = (),
    outcomes: tuple[str | None, ...] = (),
    team_id: str = "T0001",
) -> None:
    """A round of ``program`` as the rounds service would have stored it."""
    async with container.uow(await workspace_id(container, team_id)) as uow:
        ids: dict[str, int] = {}
        for user_id in {u for g in groups for u in g} | set(left_out):
            found = await uow.people.by_user_id(user_id)
            assert found is not None, f"{user_id} must have signed up"
            ids[user_id] = found.id
        number = await uow.rounds.next_number(program.id)
        stored = await uow.rounds.create(
            program_id=program.id,
            seed=42,
            slot=NOW + timedelta(minutes=number),
            trigger="manual",
            groups=[NewGroup([(ids[u], Role.PEER) for u in g], reasons) for g in groups],
            left_out=[(ids[u], "alone") for u in left_out],
            notes=(),
            now=NOW,
        )
        await uow.rounds.mark_delivered(stored.id, now=NOW)
        for group, outcome in zip(stored.groups, outcomes, strict=False):
            if outcome is not None:
                answer = "met" if outcome == "met" else "could_not"
                await uow.rounds.record_checkin(
                    group.id, group.members[0].person.id, answer, now=NOW
                )
        await uow.commit()


def button(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    """The button with ``action_id`` in rendered Block Kit blocks."""
    for block in blocks:
        for element in [*block.get("elements", []), block.get("accessory") or {}]:
            if element.get("action_id") == action_id:
                return element
    raise LookupError(f"no {action_id} button")


def block_texts(blocks: list[dict[str, Any]]) -> str:
    parts: list[str] = []
    for block in blocks:
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(str(text.get("text", "")))
        for item in block.get("fields", []) + block.get("elements", []):
            if isinstance(item, dict) and isinstance(item.get("text"), str):
                parts.append(item["text"])
            elif isinstance(item, dict) and isinstance(item.get("text"), dict):
                parts.append(str(item["text"].get("text", "")))
    return "\n".join(parts)
