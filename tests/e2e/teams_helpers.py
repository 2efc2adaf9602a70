"""A simulated Microsoft tenant and the real app serving it, for the Teams tests.

One simulated Microsoft per test module (``microsoft`` fixture, reset for each test);
the app is built per test on the test's database (SQLite and PostgreSQL).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
import uvicorn

from bot.bootstrap import build
from bot.config import ProgramConfig, Settings
from bot.core import Core
from bot.kinds.config import read_config
from bot.teams.simulator.driver import TeamsDriver
from bot.teams.simulator.microsoft import MicrosoftSimulator
from bot.teams.simulator.tenant import SimulatedTenant, SimulatedUser
from bot.web import create_app
from tests.conftest import NOW
from tests.e2e.slack_helpers import wait_until
from tests.fakes.clock import FakeClock

APP_ID = "7c1f2a90-5b1e-4e0f-9a55-3f1d2c3b4a5e"
PASSWORD = "simulated-client-secret"
TENANT = "0f4e5d6c-aaaa-4bbb-8ccc-111122223333"
OTHER_TENANT = "9a8b7c6d-dddd-4eee-8fff-444455556666"
TEAM = "19:coffee-team-general@thread.tacv2"
ZONES = (
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("GMT Standard Time", "Europe/London"),
    ("Eastern Standard Time", "America/New_York"),
    ("Romance Standard Time", "Europe/Paris"),
)
TITLES = ("Engineer", "Designer", "Analyst", "Manager")
LEAD = "aad-0000"


class TickingClock(FakeClock):
    """Real time, starting at ``start`` (retries and back-offs fall due as they would)."""

    def __init__(self, start: datetime = NOW) -> None:
        super().__init__(start)
        self._began = time.monotonic()

    def __call__(self) -> datetime:
        return self.now + timedelta(seconds=time.monotonic() - self._began)


def aad(i: int) -> str:
    return f"aad-{i:04d}"


def tenant(count: int, *, tenant_id: str = TENANT, seed: int = 3) -> SimulatedTenant:
    """``count`` people (the first is a Teams admin) and a team with a General channel."""
    rng = random.Random(seed)
    world = SimulatedTenant(tenant_id, APP_ID)
    for i in range(count):
        windows, iana = rng.choice(ZONES)
        world.add_user(
            SimulatedUser(
                aad(i),
                f"Person {i}",
                given_name="Person",
                surname=str(i),
                upn=f"person{i}@acme.test",
                job_title=rng.choice(TITLES),
                department=rng.choice(("Platform", "Data", "Sales")),
                mailbox_time_zone=windows,
                client_time_zone=iana,
                admin=i == 0,
            )
        )
    world.add_team(TEAM, "Coffee lovers", set())
    return world


@pytest.fixture(scope="module")
def microsoft() -> Iterator[MicrosoftSimulator]:
    with MicrosoftSimulator([tenant(1)], app_id=APP_ID, app_password=PASSWORD) as simulator:
        yield simulator


def settings(
    database_url: str, sim: MicrosoftSimulator, *, graph: bool = False, **extra: Any
) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "teams_app_id": APP_ID,
        "teams_app_password": PASSWORD,
        "teams_openid_metadata_url": sim.openid_url,
        "teams_graph_url": sim.graph_url,
        "teams_token_url": sim.token_url,
        "teams_graph_permissions": graph,
        "embedded_clock": False,
        "secret_key": "teams-tests-secret-key",
        **extra,
    }
    return Settings(**values)


def coffee(**overrides: Any) -> ProgramConfig:
    table = {"name": "coffee", "kind": "coffee", "channel": TEAM, "join_via_channel": True}
    return ProgramConfig(read_config({**table, "checkin_after_days": 3, **overrides}))


@contextlib.asynccontextmanager
async def serving(core: Core) -> AsyncIterator[str]:
    """The real app on a free loopback port."""
    app = create_app(core)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@contextlib.asynccontextmanager
async def running(
    sim: MicrosoftSimulator,
    database_url: str,
    tenants: Sequence[SimulatedTenant],
    *,
    clock: FakeClock | None = None,
    speedup: float = 1.0,
    **options: Any,
) -> AsyncIterator[tuple[Core, TeamsDriver]]:
    """``tenants`` in the simulated Microsoft, the app serving them, a driver for the first
    (``speedup``: the pacer's windows shortened as the simulator's, when it enforces them)."""
    sim.reset(tenants)
    core = build(
        settings(database_url, sim, **options),
        clock=clock or FakeClock(NOW),
        rate_limit_speedup=speedup,
    )
    try:
        async with serving(core) as url, TeamsDriver(url, sim) as driver:
            yield core, driver
    finally:
        await core.aclose()


async def join_everyone(driver: TeamsDriver, people: Sequence[str]) -> None:
    for person in people:
        reply = await driver.join_team(person, TEAM, by=LEAD)
        assert reply.status == 200, reply
    # Their welcomes go through the outbox, woken by each join: wait until they have all
    # landed, so that no test counts (or faults) a welcome still on its way.
    welcomed = await wait_until(lambda: all(_welcomed(driver, p) for p in people), wait=20)
    assert welcomed, [p for p in people if not _welcomed(driver, p)]


def _welcomed(driver: TeamsDriver, person: str) -> bool:
    user = driver.tenant.users.get(person)
    if user is not None and not user.enabled:  # gone from the company: nobody to welcome
        return True
    return any("Welcome to" in " ".join(m.texts()) for m in driver.inbox(person))
