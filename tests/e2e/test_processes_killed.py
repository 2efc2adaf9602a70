"""mentorbot split for scale on PostgreSQL — two ``web``, two ``worker`` and one ``clock``
process — with one of them killed (SIGKILL) at random in the middle of a round.

A lead starts the round in Slack; while its introductions go out, one process dies.
Then the check-ins go out and people answer them, through whichever web process is
alive (as a load balancer would send them). At the end: every introduction and every
check-in delivered exactly once, every answer Slack saw acknowledged is recorded, and
nothing is left in the outbox. ``MENTORBOT_TEST_KILL=web-a`` (…) picks the victim; by
default it is drawn at random and named in the failure message.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.builders import checkin as buttons
from bot.slack.simulator.driver import SlackDriver
from bot.slack.simulator.slack_api import SlackApiSimulator
from bot.slack.simulator.workspace import SimulatedUser
from storage import orm
from storage.db import create_engine, session_factory
from storage.uow import UnitOfWorkFactory
from tests.conftest import NOW, _empty_tables
from tests.fakes import community

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
PEOPLE = 40
SECRET = "split-secret"
LEAD = "U9LEAD"
VICTIMS = ("web-a", "web-b", "worker-1", "worker-2", "clock")


@pytest.fixture
def slack() -> Iterator[SlackApiSimulator]:
    simulator = SlackApiSimulator(seed=13)
    simulator.workspace.add_channel("C0COFFEE")
    simulator.workspace.add_user(SimulatedUser(LEAD, "lead", "Lee Lead", is_admin=True))
    with simulator:
        yield simulator


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(name: str, args: list[str], env: dict[str, str], logs: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args],
        env=env,
        stdout=(logs / f"{name}.log").open("wb"),
        stderr=subprocess.STDOUT,
    )


async def _healthy(url: str, deadline: float) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(f"{url}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise AssertionError(f"{url} never became healthy")


async def _until(check, wait: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        found = await check() if asyncio.iscoroutinefunction(check) else check()
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out: {what}")


def _logs(folder: Path) -> dict[str, str]:
    """The end of each process's log, for the failure message."""
    return {p.name: p.read_text(errors="replace")[-1500:] for p in folder.glob("*.log")}


def _keyed(slack: SlackApiSimulator, suffix: str) -> Counter[str]:
    found: Counter[str] = Counter()
    with slack._lock:
        messages = slack.workspace.all_messages()
    for message in messages:
        key = (message.metadata or {}).get("event_payload", {}).get("key", "")
        if key.endswith(suffix):
            found[key] += 1
    return found


async def test_one_process_killed_mid_round_loses_nothing_and_repeats_nothing(
    postgres_url: str, slack: SlackApiSimulator, tmp_path: Path
) -> None:
    await _empty_tables(postgres_url)
    users = community.people(PEOPLE, seed=PEOPLE)
    community.add_to_slack(slack.workspace, users)
    engine = create_engine(postgres_url)
    uow = UnitOfWorkFactory(session_factory(engine))
    try:
        workspace = await uow.ensure_workspace("slack", "T0001", name="Acme", now=NOW)
        await community.enroll(uow, workspace.id, users, now=NOW, channel_id="C0COFFEE")

        victim = os.environ.get("MENTORBOT_TEST_KILL") or random.choice(VICTIMS)
        (tmp_path / "config.toml").write_text(f'admins = ["{LEAD}"]\n')
        env = {
            **os.environ,
            "DATABASE_URL": postgres_url,
            "SLACK_API_URL": slack.api_url,
            "SLACK_BOT_TOKEN": "xoxb-sim",
            "SLACK_SIGNING_SECRET": SECRET,
            "EMBEDDED_CLOCK": "false",
            "DELIVERY_LEASE_SECONDS": "3",
            "PLATFORM_TIMEOUT_SECONDS": "5",  # a killed post settles in 10 s, not 35
            "DATABASE_MAX_CONNECTIONS": "4",
            "MENTORBOT_CONFIG": str(tmp_path / "config.toml"),
            "LOG_LEVEL": "WARNING",
        }
        ports = {"web-a": _port(), "web-b": _port()}
        processes = {
            "web-a": _start("web-a", ["serve", "--port", str(ports["web-a"])], env, tmp_path),
            "web-b": _start("web-b", ["serve", "--port", str(ports["web-b"])], env, tmp_path),
            "worker-1": _start("worker-1", ["worker"], env, tmp_path),
            "worker-2": _start("worker-2", ["worker"], env, tmp_path),
            "clock": _start("clock", ["clock"], env, tmp_path),
        }
        try:
            await _round_with_a_kill(slack, uow, workspace.id, processes, ports, victim, env)
        except AssertionError as exc:
            raise AssertionError(f"killed {victim}: {exc}\n{_logs(tmp_path)}") from exc
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.terminate()
            for process in processes.values():
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
    finally:
        await engine.dispose()


async def _round_with_a_kill(slack, uow, workspace_id, processes, ports, victim, env):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 60
    await asyncio.gather(*(_healthy(f"http://127.0.0.1:{p}", deadline) for p in ports.values()))
    slack.fail("conversations.open", delay=0.2)  # introductions take a few seconds
    drivers = {
        name: SlackDriver(f"http://127.0.0.1:{port}", SECRET, slack) for name, port in ports.items()
    }
    for driver in drivers.values():
        await driver.__aenter__()
    try:
        started = await drivers["web-a"].command(LEAD, "round coffee", wait=15)
        assert "Round 1" in started.text, started.text
        await _until(lambda: len(_keyed(slack, ":intro")) >= 3, 30, "introductions start")
        processes[victim].send_signal(signal.SIGKILL)
        processes[victim].wait(10)

        async def delivered() -> bool:
            async with uow(workspace_id) as unit:
                rows = await unit.session.scalars(select(orm.Round.state))
                return list(rows) == ["delivered"]

        await _until(delivered, 60, "round 1 delivered")
        slack.clear_faults()
        checkins = await asyncio.to_thread(  # the operator's `mentorbot checkin run`
            subprocess.run,
            [sys.executable, "-m", "bot.cli", "checkin", "run", "coffee"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert checkins.returncode == 0, checkins.stderr
        acknowledged = await _answers(slack, uow, workspace_id, drivers, processes)
        await _check(slack, uow, workspace_id, acknowledged)
    finally:
        for driver in drivers.values():
            await driver.__aexit__(None, None, None)


async def _answers(slack, uow, workspace_id, drivers, processes) -> set[tuple[int, str]]:  # type: ignore[no-untyped-def]
    """One member of every group clicks "we met", through a live web process."""
    async with uow(workspace_id) as unit:
        round_ = await unit.rounds.latest((await unit.programs.by_name("coffee")).id)
    acknowledged: set[tuple[int, str]] = set()
    for index, group in enumerate(round_.groups):
        user = group.user_ids[0]
        key = f"r{round_.id}:g{group.id}:checkin"
        message = next(
            m
            for m in slack.workspace.messages_in(group.conversation_id)
            if (m.metadata or {}).get("event_payload", {}).get("key") == key
        )
        order = ["web-a", "web-b"] if index % 2 == 0 else ["web-b", "web-a"]
        for name in order:  # the load balancer's choice, then the other if that one is down
            if processes[name].poll() is not None:
                continue
            try:
                reply = await drivers[name].click(
                    user,
                    buttons.MET,
                    str(group.id),
                    channel_id=message.channel,
                    message_ts=message.ts,
                    wait=0,
                )
            except OSError:
                continue
            if reply.status == 200:
                acknowledged.add((group.id, user))
                break
    return acknowledged


async def _check(slack, uow, workspace_id, acknowledged) -> None:  # type: ignore[no-untyped-def]
    intros, checkins = _keyed(slack, ":intro"), _keyed(slack, ":checkin")
    async with uow(workspace_id) as unit:
        round_ = await unit.rounds.latest((await unit.programs.by_name("coffee")).id)
        outbox = list(await unit.session.scalars(select(orm.OutboxMessage.state)))
        answers = set(
            (
                await unit.session.execute(
                    select(orm.CheckinResponse.group_id, orm.Person.platform_user_id).join(
                        orm.Person, orm.Person.id == orm.CheckinResponse.person_id
                    )
                )
            ).all()
        )
    groups = len(round_.groups)
    assert len(intros) == groups and set(intros.values()) == {1}, intros
    assert len(checkins) == groups and set(checkins.values()) == {1}, checkins
    assert set(outbox) == {"sent"}, Counter(outbox)
    assert len(acknowledged) == groups, "an answer could not be given"
    assert acknowledged <= answers, acknowledged - answers
