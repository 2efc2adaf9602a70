"""The real web app on loopback, a simulated Slack Web API, and a driver that signs
requests exactly as Slack does."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
import uvicorn

from bot.bootstrap import build
from bot.config import Settings
from bot.core import Core
from bot.slack.simulator.driver import SlackDriver
from bot.slack.simulator.slack_api import SlackApiSimulator
from bot.slack.simulator.workspace import SimulatedUser
from bot.web import create_app
from tests.conftest import NOW
from tests.fakes.clock import FakeClock

SIGNING_SECRET = "e2e-signing-secret"
BOT_TOKEN = "xoxb-sim"
PEOPLE = {
    "U0ADA": ("ada", "Ada Lovelace", "Staff Engineer", "Europe/London", True),
    "U0GRACE": ("grace", "Grace Hopper", "Director of Engineering", "America/New_York", False),
    "U0ALAN": ("alan", "Alan Turing", "Researcher", "Europe/London", False),
    "U0KATH": ("kath", "Katherine Johnson", "Data Scientist", "America/Chicago", False),
}


@pytest.fixture
def slack() -> Iterator[SlackApiSimulator]:
    simulator = SlackApiSimulator()
    for user_id, (name, real, title, tz, admin) in PEOPLE.items():
        simulator.workspace.add_user(
            SimulatedUser(user_id, name, real, title=title, tz=tz, is_admin=admin)
        )
    simulator.workspace.add_channel("C0GENERAL", set(PEOPLE))
    simulator.workspace.add_channel("C0COFFEE")
    with simulator:
        yield simulator


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def settings(database_url: str, slack: SlackApiSimulator) -> Settings:
    return Settings(
        database_url=database_url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack.api_url,
        embedded_clock=False,
    )


@pytest.fixture
async def container(settings: Settings, clock: FakeClock) -> AsyncIterator[Core]:
    built = build(settings, clock=clock)
    yield built
    await built.aclose()


@pytest.fixture
async def app_url(container: Core) -> AsyncIterator[str]:
    """Serve the real app with uvicorn on a free loopback port for one test."""
    app = create_app(container)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


@pytest.fixture
async def driver(app_url: str, slack: SlackApiSimulator) -> AsyncIterator[SlackDriver]:
    async with SlackDriver(app_url, SIGNING_SECRET, slack) as slack_driver:
        yield slack_driver
