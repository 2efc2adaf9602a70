"""The Teams demo's stage: a simulated Microsoft (Bot Framework's keys, tokens, the Bot
Connector, Graph) and the real web app, both on loopback.

The app is the one ``mentorbot serve`` runs, with its delivery worker and clock, single-
tenant for the demo company, with the Graph permissions on (real group chats); its
programs are created by the lead in the program form, as on Slack. A random
app password is made for each run; the settings never read the environment or a config
file, and every Microsoft address points at the simulator — nothing leaves 127.0.0.1.
The simulator enforces Teams' documented limits, with every window shortened ``speedup``
times.
"""

from __future__ import annotations

import contextlib
import secrets
import tempfile
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from bot.bootstrap import build
from bot.core import Core
from bot.demo.people import DemoPerson
from bot.demo.stage import (
    DATABASE_FILE,
    DemoClock,
    DemoError,
    DemoSettings,
    _prepare_database,
    _serving,
)
from bot.demo.teams_world import APP_ID, TENANT_ID, simulated_tenant
from bot.services.scope import Scope
from bot.teams.simulator.driver import TeamsDriver
from bot.teams.simulator.microsoft import MicrosoftSimulator
from bot.teams.simulator.tenant import SimulatedTenant
from storage.records import WorkspaceRecord


@dataclass
class TeamsStage:
    people: Sequence[DemoPerson]
    folder: Path
    database_url: str
    simulator: MicrosoftSimulator
    tenant: SimulatedTenant
    core: Core
    clock: DemoClock
    workspace: WorkspaceRecord
    scope: Scope  # the tenant, through its pacer (as `mentorbot round run` acts)
    app_url: str
    driver: TeamsDriver
    app_password: str

    @property
    def lead(self) -> DemoPerson:
        return self.people[0]


@contextlib.asynccontextmanager
async def teams_stage(
    people: Sequence[DemoPerson], *, database_url: str | None, speedup: float
) -> AsyncIterator[TeamsStage]:
    with tempfile.TemporaryDirectory(prefix="mentorbot-demo-") as folder:
        url = database_url or f"sqlite:///{Path(folder) / DATABASE_FILE}"
        password = secrets.token_urlsafe(24)
        tenant = simulated_tenant(people)
        simulator = MicrosoftSimulator(
            [tenant], app_id=APP_ID, app_password=password, enforce_limits=True, speedup=speedup
        )
        with simulator:
            settings = _settings(url, password, simulator)
            clock = DemoClock()
            core = build(settings, clock=clock, rate_limit_speedup=speedup)
            await _prepare_database(core, url)
            async with _serving(core) as app_url:
                workspace = await core.workspace(TENANT_ID)
                async with TeamsDriver(app_url, simulator) as driver:
                    yield TeamsStage(
                        people=people,
                        folder=Path(folder),
                        database_url=url,
                        simulator=simulator,
                        tenant=tenant,
                        core=core,
                        clock=clock,
                        workspace=workspace,
                        scope=await core.scope_for(workspace, paced=True),
                        app_url=app_url,
                        driver=driver,
                        app_password=password,
                    )


def _settings(url: str, password: str, simulator: MicrosoftSimulator) -> DemoSettings:
    try:
        return DemoSettings(
            database_url=url,
            teams_app_id=APP_ID,
            teams_app_password=password,
            teams_tenant_id=TENANT_ID,
            teams_openid_metadata_url=simulator.openid_url,
            teams_graph_url=simulator.graph_url,
            teams_token_url=simulator.token_url,
            teams_graph_permissions=True,
            embedded_clock=True,
        )
    except ValidationError as exc:
        problem = str(exc.errors(include_url=False)[0]["msg"]).removeprefix("Value error, ")
        raise DemoError(f"--database-url: {problem}") from None
