"""A second platform on the same core: the in-memory chat adapter, served by the real
app on loopback with no Slack configured at all — a lead's program form, people's
signup forms (a mistake shown on its field), commands, a round, its introductions,
check-in clicks, and bad requests refused with nothing changed."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import uvicorn

from bot.bootstrap import build
from bot.builders import checkin as checkin_buttons
from bot.config import Settings
from bot.core import Core
from bot.memory.adapter import sign
from bot.services.checkins import CHECKIN_KINDS, queue_checkins
from bot.web import create_app
from tests.conftest import NOW
from tests.fakes import community
from tests.fakes.clock import FakeClock

SECRET = "memory-e2e-secret"
WORKSPACE = "M0ACME"
LEAD = "M-LEAD"


class MemoryDriver:
    """Signs events as the in-memory platform expects and posts them to the app."""

    def __init__(self, base: str, session: aiohttp.ClientSession) -> None:
        self.base, self.session = base, session

    async def post(self, event: dict[str, Any], *, secret: str = SECRET) -> tuple[int, Any]:
        body = json.dumps(event).encode()
        stamp = str(int(time.time()))
        headers = {
            "X-Memory-Timestamp": stamp,
            "X-Memory-Signature": sign(secret.encode(), stamp, body),
            "Content-Type": "application/json",
        }
        async with self.session.post(f"{self.base}/memory/events", data=body, headers=headers) as r:
            return r.status, await r.json()

    async def say(self, user: str, text: str) -> dict[str, Any]:
        status, answer = await self.post(
            {"type": "command", "workspace": WORKSPACE, "user": user, "text": text}
        )
        assert status == 200, answer
        return dict(answer["reply"])

    async def submit(
        self, user: str, form: dict[str, Any], answers: dict[str, Any]
    ) -> dict[str, Any]:
        event = {"type": "submit", "workspace": WORKSPACE, "user": user, "form": form["id"]}
        status, answer = await self.post(
            {**event, "answers": answers, "program_id": form.get("program_id")}
        )
        assert status == 200, answer
        return dict(answer)

    async def read(self) -> dict[str, Any]:
        return dict((await self.post({"type": "read", "workspace": WORKSPACE}))[1])


@pytest.fixture
async def core(database_url: str) -> AsyncIterator[Core]:
    settings = Settings(
        database_url=database_url, memory_chat_secret=SECRET, admins=[LEAD], embedded_clock=False
    )
    built = build(settings, clock=FakeClock(NOW))
    yield built
    await built.aclose()


@pytest.fixture
async def driver(core: Core) -> AsyncIterator[MemoryDriver]:
    server = uvicorn.Server(
        uvicorn.Config(create_app(core), host="127.0.0.1", port=0, log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    async with aiohttp.ClientSession() as session:
        yield MemoryDriver(f"http://127.0.0.1:{port}", session)
    server.should_exit = True
    await task


async def _company(core: Core, driver: MemoryDriver) -> list[str]:
    people = community.people(6, prefix="M")
    everyone = [{"user_id": LEAD, "display_name": "lead"}] + [
        {"user_id": p.id, "display_name": p.name, "real_name": p.real_name, "time_zone": p.tz}
        for p in people
    ]
    assert (await driver.post({"type": "people", "workspace": WORKSPACE, "people": everyone}))[
        0
    ] == 200
    assert (await driver.post({"type": "channel", "workspace": WORKSPACE, "channel": "MC-COFFEE"}))[
        0
    ] == 200
    form = (await _say(driver, LEAD, "program"))["form"]
    assert [f["name"] for f in form["fields"]][:3] == ["name", "kind", "channel"]
    answers = {
        "name": "coffee",
        "kind": "coffee",
        "channel": "MC-COFFEE",
        "schedule": "every monday at 09:00",
    }
    created = await driver.submit(LEAD, form, answers)
    assert "Created the program *coffee*" in created["reply"]["text"]
    for person in people:
        signup = (await _say(driver, person.id, "signup"))["form"]
        program_id = next(f for f in signup["fields"] if f.get("name") == "program")["initial"]
        done = await driver.submit(
            person.id,
            signup,
            {"program": program_id, "interests": "tea, chess", "work_start": "9:7"},
        )
        assert set(done["errors"]) == {"work_start"}, "a mistake is shown on its field"
        done = await driver.submit(
            person.id, signup, {"program": program_id, "interests": "tea", "team": person.title}
        )
        assert "coffee" in done["reply"]["text"]
    return [p.id for p in people]


async def _say(driver: MemoryDriver, user: str, text: str) -> dict[str, Any]:
    status, answer = await driver.post(
        {"type": "command", "workspace": WORKSPACE, "user": user, "text": text}
    )
    assert status == 200, answer
    return dict(answer)


async def test_the_memory_platform_serves_a_workspace_end_to_end(
    core: Core, driver: MemoryDriver
) -> None:
    assert core.platforms.names() == ("memory",), "no Slack at all in this process"
    people = await _company(core, driver)

    help_text = (await driver.say(people[0], "what?"))["text"]
    assert "I don't know" in help_text
    started = await driver.say(LEAD, "round coffee")
    assert "Round 1 of coffee formed: 3 groups, 6 people" in started["text"]
    refused = await driver.say(people[0], "round coffee")
    assert "Only program leads" in refused["text"]

    workspace = await core.workspace(WORKSPACE)
    for _ in range(200):  # the round is delivered in the background, through the outbox
        async with core.uow(workspace.id, read_only=True) as uow:
            latest = await uow.rounds.latest((await uow.programs.by_name("coffee")).id)  # type: ignore[union-attr]
        if latest is not None and latest.delivered:
            break
        await asyncio.sleep(0.05)
    assert latest is not None and latest.delivered
    world = await driver.read()
    intros = {
        cid: c
        for cid, c in world["conversations"].items()
        if any((m["key"] or "").endswith(":intro") for m in c["messages"])
    }
    assert len(intros) == 3
    assert sorted(p for c in intros.values() for p in c["members"]) == sorted(people)
    assert all(len(c["messages"]) == 1 for c in intros.values()), "each intro exactly once"
    announced = world["conversations"]["MC-COFFEE"]["messages"]
    assert len(announced) == 1 and "Round 1 of coffee is out" in announced[0]["message"]["text"]

    scope = await core.scope_for(workspace, paced=True)
    queued = await queue_checkins(scope, "coffee")
    report = await core.deliveries.deliver_round(workspace, queued.round.id, kinds=CHECKIN_KINDS)
    assert report.delivered and report.sent == 3
    conversation_id, conversation = next(iter(intros.items()))
    world = await driver.read()
    checkin = world["conversations"][conversation_id]["messages"][-1]
    clicker = conversation["members"][0]
    status, clicked = await driver.post(
        {
            "type": "click",
            "workspace": WORKSPACE,
            "user": clicker,
            "action_id": checkin_buttons.MET,
            "value": str(queued.round.groups[0].id),
            "conversation": conversation_id,
            "message_id": checkin["id"],
        }
    )
    assert status == 200 and clicked["reply"] is None
    async with core.uow(workspace.id, read_only=True) as uow:
        group = next(
            g
            for g in (await uow.rounds.get(queued.round.id)).groups  # type: ignore[union-attr]
            if set(g.user_ids) == set(conversation["members"])
        )
    assert group.outcome == "met"
    redrawn = (await driver.read())["conversations"][conversation_id]["messages"][-1]
    assert redrawn["id"] == checkin["id"] and redrawn["message"] != checkin["message"]
    # the optional follow-up after "We met" reaches the in-memory platform too
    for action in ("came_of_friend", "came_of_friend", "worth_it_5"):
        status, tapped = await driver.post(
            {
                "type": "click",
                "workspace": WORKSPACE,
                "user": clicker,
                "action_id": action,
                "value": str(group.id),
                "conversation": conversation_id,
                "message_id": checkin["id"],
            }
        )
        assert status == 200 and tapped["reply"] is None
    async with core.uow(workspace.id, read_only=True) as uow:
        program_id = (await uow.programs.by_name("coffee")).id  # type: ignore[union-attr]
        answers = await uow.feedback.for_program(program_id)
    assert [(a.came_of, a.rating) for a in answers] == [("friend", 5)]
    followed = (await driver.read())["conversations"][conversation_id]["messages"][-1]
    assert "1 person has answered" in json.dumps(followed["message"])

    paused = await driver.say(people[1], "pause 2")
    assert "Paused" in paused["text"]


async def test_unsigned_forged_malformed_and_oversized_events_change_nothing(
    core: Core, driver: MemoryDriver
) -> None:
    await _company(core, driver)
    before = await driver.read()
    pause = {"type": "command", "workspace": WORKSPACE, "user": "M0001", "text": "pause"}
    assert (await driver.post(pause, secret="not-the-secret"))[0] == 401
    body = b'{"type": "command"'
    stamp = str(int(time.time()))
    headers = {
        "X-Memory-Timestamp": stamp,
        "X-Memory-Signature": sign(SECRET.encode(), stamp, body),
    }
    async with driver.session.post(f"{driver.base}/memory/events", data=body, headers=headers) as r:
        assert r.status == 400
    status, answer = await driver.post({"type": "command", "workspace": WORKSPACE, "user": "M0001"})
    assert status == 400 and "text" in answer["error"]
    unknown_form = {"type": "submit", "workspace": WORKSPACE, "user": "M0001", "form": "nope"}
    assert (await driver.post(unknown_form))[0] == 400
    garbage = await driver.submit("M0001", {"id": "signup"}, ["not", "answers"])  # type: ignore[arg-type]
    assert "program" in garbage["errors"]
    huge = {"type": "command", "workspace": WORKSPACE, "user": "M0001", "text": "x" * 100_000}
    assert (await driver.post(huge))[0] == 413
    stale = str(int(time.time()) - 3600)
    payload = json.dumps(pause).encode()
    async with driver.session.post(
        f"{driver.base}/memory/events",
        data=payload,
        headers={
            "X-Memory-Timestamp": stale,
            "X-Memory-Signature": sign(SECRET.encode(), stale, payload),
        },
    ) as r:
        assert r.status == 401
    assert await driver.read() == before
    workspace = await core.workspace(WORKSPACE)
    async with core.uow(workspace.id, read_only=True) as uow:
        assert not any(
            e.paused
            for e in await uow.enrollments.for_program((await uow.programs.by_name("coffee")).id)
        )  # type: ignore[union-attr]
