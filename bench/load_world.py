"""The world the load benchmark runs in: a simulated Slack workspace (with Slack's 3 s
trigger expiry), a fresh database (SQLite file or a PostgreSQL database of its own),
and the real ``mentorbot serve`` in a process of its own, on loopback.

Before the load, everyone is signed up to a coffee program and a round is formed,
delivered and checked in on (through the real services, with Slack's rate-limit
windows shortened), so the load can click real check-in buttons.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import httpx
from sqlalchemy.engine import make_url

from bot.bootstrap import build
from bot.config import Settings
from bot.delivery import keys
from bot.services.checkins import queue_checkins
from bot.services.rounds import form_round
from bot.slack.simulator.slack_api import SlackApiSimulator
from bot.slack.simulator.workspace import SimulatedUser
from storage.migrate import upgrade
from storage.repositories import Profile, ProgramSpec
from storage.repositories.enrollments import EnrollmentForm

TEAM = "T0001"
TOKEN = "xoxb-sim"  # noqa: S105 - the simulated workspace's token
LEAD = "U0000"
POSTGRES = os.environ.get(
    "MENTORBOT_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@dataclass
class Checkin:
    """A check-in message as the simulated Slack holds it, and who may click it."""

    group_id: int
    channel: str
    ts: str
    members: tuple[str, ...]


@dataclass
class World:
    simulator: SlackApiSimulator
    app_url: str
    secret: str
    process: subprocess.Popen[bytes]
    people: list[str]
    program_id: int
    checkins: list[Checkin]
    database_url: str
    log: Path  # what mentorbot serve logged

    def log_lines(self, level: str) -> list[str]:
        return [line for line in self.log.read_text(errors="replace").splitlines() if level in line]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@asynccontextmanager
async def world(backend: str, people: int) -> AsyncIterator[World]:
    simulator = SlackApiSimulator(seed=1)
    users = [
        SimulatedUser(f"U{i:04d}", f"p{i}", f"Person {i}", tz="Europe/Berlin")
        for i in range(people)
    ]
    users[0].is_admin = True
    for user in users:
        simulator.workspace.add_user(user)
    simulator.workspace.add_channel("C0GENERAL", {u.id for u in users})
    with simulator, tempfile.TemporaryDirectory(prefix="mentorbot-load-") as folder:
        async with _database(backend, Path(folder)) as url:
            program_id, checkins = await _prepare(url, simulator, users)
            secret = secrets.token_hex(16)
            port = free_port()
            process = _serve(url, simulator, secret, port, Path(folder))
            try:
                await _wait_healthy(f"http://127.0.0.1:{port}", process)
                yield World(
                    simulator=simulator,
                    app_url=f"http://127.0.0.1:{port}",
                    secret=secret,
                    process=process,
                    people=[u.id for u in users],
                    program_id=program_id,
                    checkins=checkins,
                    database_url=url,
                    log=Path(folder) / "serve.log",
                )
            finally:
                process.terminate()
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()


@asynccontextmanager
async def _database(backend: str, folder: Path) -> AsyncIterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'load.db'}"
        return
    base = make_url(POSTGRES)
    name = f"mentorbot_load_{os.getpid()}"
    admin = await asyncpg.connect(
        host=base.host, port=base.port or 5432, user=base.username, database=base.database
    )
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def _settings(url: str, simulator: SlackApiSimulator, secret: str = "bench") -> Settings:  # noqa: S107
    return Settings(
        database_url=url,
        slack_bot_token=TOKEN,
        slack_signing_secret=secret,
        slack_api_url=simulator.api_url,
        embedded_clock=False,
    )


async def _prepare(
    url: str, simulator: SlackApiSimulator, users: list[SimulatedUser]
) -> tuple[int, list[Checkin]]:
    """Everyone in coffee; round 1 formed and delivered; its check-ins out."""
    container = build(_settings(url, simulator), rate_limit_speedup=600)
    try:
        await upgrade(container.engine)
        workspace = await container.workspace()
        now = container.clock()
        async with container.uow(workspace.id) as uow:
            program = await uow.programs.save(
                ProgramSpec(name="coffee", channel_id="C0GENERAL"), now=now, source="bench"
            )
            for user in users:
                person = await uow.people.upsert(
                    Profile(user.id, user.name, user.real_name), now=now
                )
                await uow.enrollments.save(
                    program.id, person.id, EnrollmentForm(interests=["tea"]), now=now
                )
            await uow.commit()
        service = container.deliveries
        scope = await container.scope_for(workspace, paced=True)
        formed = await form_round(scope, "coffee", seed=1)
        assert (await service.deliver_round(workspace, formed.round.id)).delivered
        queued = await queue_checkins(scope, "coffee")
        assert (
            await service.deliver_round(workspace, queued.round.id, kinds=frozenset({"checkin"}))
        ).delivered
        async with container.uow(workspace.id) as uow:
            stored = await uow.rounds.get(formed.round.id)
        assert stored is not None
        checkins = []
        for group in stored.groups:
            key = keys.checkin(stored.id, group.id)
            for message in simulator.workspace.messages_in(group.conversation_id or ""):
                if (message.metadata or {}).get("event_payload", {}).get("key") == key:
                    checkins.append(Checkin(group.id, message.channel, message.ts, group.user_ids))
        return program.id, checkins
    finally:
        await container.aclose()


def _serve(
    url: str, simulator: SlackApiSimulator, secret: str, port: int, folder: Path
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": secret,
        "SLACK_API_URL": simulator.api_url,
        "LOG_LEVEL": "WARNING",
        "MENTORBOT_CONFIG": str(folder / "none.toml"),
    }
    (folder / "none.toml").write_text(f'admins = ["{LEAD}"]\n')
    log = (folder / "serve.log").open("wb")
    profile = os.environ.get("MENTORBOT_BENCH_PROFILE")  # a file: the app runs under cProfile
    python = [sys.executable, *(["-m", "cProfile", "-o", profile] if profile else [])]
    return subprocess.Popen(
        [*python, "-m", "bot.cli", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


async def _wait_healthy(app_url: str, process: subprocess.Popen[Any]) -> None:
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError("mentorbot serve exited at start")
            try:
                if (await client.get(f"{app_url}/healthz", timeout=2)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError("mentorbot serve did not become healthy")
