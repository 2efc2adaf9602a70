"""Socket Mode: with SLACK_APP_TOKEN the real app connects out to Slack over a WebSocket
and serves the same commands, modals and events through it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
import uvicorn
from pydantic import SecretStr

from bot import runtime
from bot.bootstrap import build
from bot.config import Settings
from bot.core import Core
from bot.slack.simulator.slack_api import SlackApiSimulator
from bot.slack.simulator.socket_mode import SocketModeDriver, SocketModeSimulator
from bot.web import create_app
from tests.e2e.conftest import SIGNING_SECRET
from tests.e2e.slack_helpers import add_program, enrollments, readable

APP_TOKEN = "xapp-1-A0MENTORBOT-e2e"


@pytest.fixture
def socket(slack: SlackApiSimulator) -> Iterator[SocketModeSimulator]:
    with SocketModeSimulator(slack.workspace, app_token=APP_TOKEN) as simulated:
        yield simulated


@pytest.fixture
def settings(settings: Settings, socket: SocketModeSimulator) -> Settings:
    return settings.model_copy(update={"slack_app_token": SecretStr(APP_TOKEN)})


@pytest.fixture
async def socket_driver(
    container: Core, slack: SlackApiSimulator, socket: SocketModeSimulator
) -> AsyncIterator[SocketModeDriver]:
    """``serve`` as it runs: the web app with its background services (Socket Mode here)."""
    services = runtime.background_services(container, embedded=False)
    app = create_app(container, background=services)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    task = asyncio.create_task(server.serve())
    assert await socket.wait_connected(), "the app never connected over Socket Mode"
    async with SocketModeDriver(socket, "http://unused", SIGNING_SECRET, slack) as driver:
        yield driver
    server.should_exit = True
    await task


async def test_socket_mode_runs_only_when_an_app_token_is_set(
    container: Core, settings: Settings
) -> None:
    services = runtime.background_services(container, embedded=False)
    assert [type(s).__name__ for s in services] == ["SocketMode"]
    without = build(settings.model_copy(update={"slack_app_token": None}))
    try:
        assert runtime.background_services(without, embedded=False) == []
    finally:
        await without.aclose()


async def test_help_arrives_over_the_socket(socket_driver: SocketModeDriver) -> None:
    reply = await socket_driver.command("U0ALAN", "")
    assert "/mentor signup" in readable(reply)


async def test_signup_through_the_modal_over_the_socket(
    socket_driver: SocketModeDriver, container: Core
) -> None:
    coffee = await add_program(container, "coffee")
    opened = await socket_driver.command("U0ALAN", "signup", wait=5.0)
    view = socket_driver.opened_view(opened)
    bad = await socket_driver.submit("U0ALAN", view, {"interests": "x" * 5000})
    assert set(bad.json()["errors"]) == {"interests"}
    good = await socket_driver.submit("U0ALAN", view, {"program": str(coffee.id), "team": "R&D"})
    assert good.body == ""
    [enrolled] = await enrollments(container, "U0ALAN")
    assert enrolled.program_id == coffee.id
    paused = await socket_driver.command("U0ALAN", "pause 1")
    assert "Paused *coffee*" in readable(paused)
