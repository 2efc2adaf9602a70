"""The demo's stage: a simulated Slack workspace and the real web app, both on loopback.

The web app is the one ``mentorbot serve`` runs (``bot.web.create_app`` with the same
background services: the delivery worker and the clock), on SQLite in a temporary
directory unless a database URL is given. The simulated Slack Web API holds the
company's people and channels. A random signing secret and bot token are made for each
run, and the demo's settings never read the environment or a config file, so nothing
can send traffic anywhere but 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import tempfile
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import uvicorn
from pydantic import ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from bot import runtime
from bot.bootstrap import build
from bot.clock import Clock, utc_now
from bot.config import Settings
from bot.core import Core
from bot.demo.company import TEAM_ID, simulated_workspace
from bot.demo.people import DemoPerson
from bot.errors import MentorbotError
from bot.services.scope import Scope
from bot.slack.simulator.driver import SlackDriver
from bot.slack.simulator.slack_api import SlackApiSimulator
from bot.web import create_app
from storage.db import redacted_or_raw
from storage.migrate import upgrade
from storage.records import WorkspaceRecord

DATABASE_FILE = "mentorbot-demo.db"
SPEEDUP = 60.0  # Slack's rate-limit windows, shortened this many times (simulator only)


class DemoError(MentorbotError):
    """The demo could not go on; the message is one line for the terminal."""


class DemoSettings(Settings):
    """Exactly what the demo passes in: never the environment or a config file."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


class DemoClock:
    """Real time, moved forward by hand: rounds a week apart without waiting a week."""

    def __init__(self, wall: Clock = utc_now) -> None:
        self.wall = wall
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return self.wall() + self.offset

    def advance(self, **delta: float) -> datetime:
        self.offset += timedelta(**delta)
        return self()

    def jump_to(self, moment: datetime) -> datetime:
        """Move forward to ``moment`` (never back)."""
        self.offset += max(moment - self(), timedelta(0))
        return self()


@dataclass
class Stage:
    people: Sequence[DemoPerson]
    folder: Path
    database_url: str
    simulator: SlackApiSimulator
    core: Core
    clock: DemoClock
    workspace: WorkspaceRecord
    scope: Scope  # the demo workspace, through its pacer (as `mentorbot round run` acts)
    app_url: str
    driver: SlackDriver
    signing_secret: str
    bot_token: str

    @property
    def lead(self) -> DemoPerson:
        return self.people[0]

    @property
    def names(self) -> dict[str, str]:
        return {p.user_id: p.real_name for p in self.people}


@contextlib.asynccontextmanager
async def stage(
    people: Sequence[DemoPerson], *, database_url: str | None, speedup: float = SPEEDUP
) -> AsyncIterator[Stage]:
    """Everything up, and torn down (temporary directory included) on the way out."""
    with tempfile.TemporaryDirectory(prefix="mentorbot-demo-") as folder:
        url = database_url or f"sqlite:///{Path(folder) / DATABASE_FILE}"
        secret, token = secrets.token_hex(16), f"xoxb-demo-{secrets.token_hex(12)}"
        with _simulator(people, token) as simulator:
            settings = _settings(url, token, secret, simulator.api_url)
            clock = DemoClock()
            core = build(settings, clock=clock, rate_limit_speedup=speedup)
            await _prepare_database(core, url)
            async with _serving(core) as app_url:
                workspace = await core.workspace(TEAM_ID)
                async with SlackDriver(app_url, secret, simulator, team_id=TEAM_ID) as driver:
                    yield Stage(
                        people=people,
                        folder=Path(folder),
                        database_url=url,
                        simulator=simulator,
                        core=core,
                        clock=clock,
                        workspace=workspace,
                        scope=await core.scope_for(workspace, paced=True),
                        app_url=app_url,
                        driver=driver,
                        signing_secret=secret,
                        bot_token=token,
                    )


def _settings(url: str, token: str, secret: str, api_url: str) -> DemoSettings:
    try:
        return DemoSettings(
            database_url=url,
            slack_bot_token=token,
            slack_signing_secret=secret,
            slack_api_url=api_url,
            embedded_clock=True,
        )
    except ValidationError as exc:
        problem = str(exc.errors(include_url=False)[0]["msg"]).removeprefix("Value error, ")
        raise DemoError(f"--database-url: {problem}") from None


@contextlib.contextmanager
def _simulator(people: Sequence[DemoPerson], token: str) -> Iterator[SlackApiSimulator]:
    simulator = SlackApiSimulator(simulated_workspace(people, token)).start()
    try:
        yield simulator
    finally:
        simulator.stop()


async def _prepare_database(core: Core, url: str) -> None:
    """Migrate, and refuse a database that already holds a workspace (the demo's own
    programs and people would collide with what is there)."""
    try:
        await upgrade(core.engine)
        async with core.uow.workspaces() as unit:
            known = await unit.workspaces.all()
    except Exception as exc:
        await core.aclose()
        raise DemoError(f"cannot use the database {redacted_or_raw(url)}: {exc}") from exc
    if known:
        await core.aclose()
        raise DemoError(
            f"the database {redacted_or_raw(url)} is not empty; give the demo an empty one"
        )


class _Server(uvicorn.Server):
    """uvicorn without signal handlers of its own: Ctrl-C belongs to the demo."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def _serving(core: Core) -> AsyncIterator[str]:
    """The app as ``mentorbot serve`` runs it, on a free port of 127.0.0.1."""
    app = create_app(
        core, background=runtime.background_services(core, embedded=True), migrate=False
    )
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="warning", log_config=None, lifespan="on"
    )
    server = _Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()
                raise DemoError("the web app did not start (see the log above)")
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.gather(task, return_exceptions=True)
