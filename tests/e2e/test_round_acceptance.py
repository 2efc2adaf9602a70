"""The whole loop as an acceptance run drives it: dozens of people sign up through the
real modal, ``round run`` goes out with a third of Slack calls rate-limited, is killed
mid-delivery and run again, everyone clicks their check-in, and every group is counted."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from bot.builders import checkin as build
from bot.core import Core
from bot.slack.simulator.driver import SlackDriver
from bot.slack.simulator.slack_api import SlackApiSimulator
from bot.slack.simulator.workspace import SimulatedUser
from storage.repositories import ProgramSpec
from tests.conftest import NOW
from tests.e2e.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.e2e.slack_helpers import sign_up

pytestmark = pytest.mark.slow
PEOPLE = 24
ZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "Asia/Kolkata")


def _cli(database_url: str, slack: SlackApiSimulator, *args: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_API_URL": slack.api_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "DELIVERY_LEASE_SECONDS": "2",
        "PLATFORM_TIMEOUT_SECONDS": "5",  # the killed run's posts settle in 10 s, not 35
        "MENTORBOT_CONFIG": "",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def _finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = await asyncio.to_thread(process.communicate, timeout=240)
    return process.returncode, out, err


def _keyed(slack: SlackApiSimulator, suffix: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for message in slack.workspace.all_messages():
        key = (message.metadata or {}).get("event_payload", {}).get("key", "")
        if key.endswith(suffix):
            found[message.channel] += 1
    return found


async def test_dozens_sign_up_a_killed_round_is_finished_once_and_checkins_are_counted(
    container: Core, driver: SlackDriver, slack: SlackApiSimulator, database_url: str
) -> None:
    users = [f"U1{i:03d}" for i in range(PEOPLE)]
    for i, user_id in enumerate(users):
        slack.workspace.add_user(
            SimulatedUser(user_id, f"p{i}", f"Person {i}", title="Engineer", tz=ZONES[i % 4])
        )
    workspace = await container.workspace()
    async with container.uow(workspace.id) as uow:
        program = await uow.programs.save(
            ProgramSpec(name="coffee", channel_id="C0COFFEE", timezone="Europe/Berlin"),
            now=NOW,
            source="slack",
        )
        await uow.commit()
    for user_id in users:
        reply = await sign_up(driver, user_id, {"program": str(program.id)})
        assert reply.status == 200 and not reply.body, reply.body

    slack.fail("*", status=429, ratio=0.33, retry_after=1)
    posts = itertools.count()
    slack.fail("chat.postMessage", delay=120, when=lambda _p: next(posts) >= 5)
    first = _cli(database_url, slack, "round", "run", "coffee")
    deadline = time.monotonic() + 120
    while len(_keyed(slack, ":intro")) < 4 and first.poll() is None:
        assert time.monotonic() < deadline, "delivery never started"
        await asyncio.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    slack.clear_faults()
    slack.fail("*", status=429, ratio=0.33, retry_after=1)
    code, out, err = await _finish(_cli(database_url, slack, "round", "run", "coffee"))
    assert code == 0, err
    assert "still being delivered" in out

    intros = _keyed(slack, ":intro")
    assert len(intros) == PEOPLE // 2 and set(intros.values()) == {1}
    members = [
        frozenset(slack.workspace.teams["T0001"].channels[c]) - {"U0MENTORBOT"} for c in intros
    ]
    assert sorted(u for group in members for u in group) == sorted(users)

    code, out, err = await _finish(_cli(database_url, slack, "checkin", "run", "coffee"))
    assert code == 0, err
    slack.clear_faults()
    for channel in intros:
        (message,) = [
            m for m in slack.workspace.messages_in(channel) if "Did you get to meet" in m.text
        ]
        group_id = message.blocks[1]["elements"][0]["value"]
        clicker = sorted(slack.workspace.teams["T0001"].channels[channel] - {"U0MENTORBOT"})[0]
        reply = await driver.click(
            clicker, build.MET, group_id, channel_id=channel, message_ts=message.ts
        )
        assert reply.status == 200

    code, out, err = await _finish(
        _cli(database_url, slack, "history", "coffee", "--format", "json")
    )
    assert code == 0, err
    (round_,) = json.loads(out)["rounds"]
    assert len(round_["groups"]) == PEOPLE // 2
    assert {g["outcome"] for g in round_["groups"]} == {"met"}
