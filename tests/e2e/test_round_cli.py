"""``mentorbot round run`` as an operator runs it — in a subprocess against the simulated
Slack Web API — killed with SIGKILL mid-delivery, run again, and counted."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from itertools import combinations

import pytest

from bot.slack.simulator.slack_api import SlackApiSimulator
from storage.db import create_engine, session_factory
from storage.uow import UnitOfWorkFactory
from tests.conftest import NOW
from tests.fakes import community

CHANNEL = "C0COFFEE"
pytestmark = pytest.mark.slow


@pytest.fixture
def slack() -> Iterator[SlackApiSimulator]:
    simulator = SlackApiSimulator(seed=11)
    simulator.workspace.add_channel(CHANNEL)
    with simulator:
        yield simulator


def _env(database_url: str, slack: SlackApiSimulator, lease: str = "2") -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_API_URL": slack.api_url,
        "SLACK_BOT_TOKEN": "xoxb-sim",
        "SLACK_SIGNING_SECRET": "cli-secret",
        "DELIVERY_LEASE_SECONDS": lease,
        # A killed run's hanging posts may land until 5 s after this: the next run waits
        # 10 s for them, not Slack's 35
        "PLATFORM_TIMEOUT_SECONDS": "5",
        "MENTORBOT_CONFIG": "",
        "LOG_LEVEL": "WARNING",
    }


def _start(
    database_url: str, slack: SlackApiSimulator, *args: str, lease: str = "2"
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args],
        env=_env(database_url, slack, lease),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _mentorbot(
    database_url: str, slack: SlackApiSimulator, *args: str, lease: str = "2", timeout: float = 240
):
    process = _start(database_url, slack, *args, lease=lease)
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def _populate(database_url: str, slack: SlackApiSimulator, count: int) -> list[str]:
    users = community.people(count, seed=count)
    community.add_to_slack(slack.workspace, users)

    async def enroll() -> None:
        engine = create_engine(database_url)
        uow = UnitOfWorkFactory(session_factory(engine))
        try:
            workspace = await uow.ensure_workspace("slack", "T0001", name="Acme", now=NOW)
            await community.enroll(uow, workspace.id, users, now=NOW, channel_id=CHANNEL)
        finally:
            await engine.dispose()

    asyncio.run(enroll())
    return [u.id for u in users]


def _keys(slack: SlackApiSimulator, suffix: str) -> Counter[tuple[str, str]]:
    found: Counter[tuple[str, str]] = Counter()
    for message in slack.workspace.all_messages():
        key = (message.metadata or {}).get("event_payload", {}).get("key", "")
        if key.endswith(suffix):
            found[(message.channel, key)] += 1
    return found


def _members_of(slack: SlackApiSimulator, channel: str) -> frozenset[str]:
    return frozenset(
        u for u in slack.workspace.teams["T0001"].channels[channel] if u != "U0MENTORBOT"
    )


def _assert_each_group_introduced_once(slack: SlackApiSimulator, users: list[str]) -> None:
    intros = _keys(slack, ":intro")
    assert intros and set(intros.values()) == {1}, f"repeated introductions: {intros}"
    groups = [_members_of(slack, channel) for channel, _ in intros]
    placed = Counter(u for g in groups for u in g)
    assert set(placed.values()) == {1}, "someone is in two groups"
    left_out = {key.rsplit(":", 1)[1] for _, key in _keys(slack, "")} & set(users) - set(placed)
    assert set(placed) | left_out == set(users), "someone was never told"
    announcements = slack.workspace.messages_in(CHANNEL)
    assert len(announcements) == 1


def _wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail("the condition never came true")
        time.sleep(0.05)


def test_round_run_delivers_every_introduction_once_with_a_third_of_calls_rate_limited(
    database_url: str, slack: SlackApiSimulator
) -> None:
    users = _populate(database_url, slack, 30)
    slack.fail("*", status=429, ratio=0.33, retry_after=1)
    code, out, err = _mentorbot(database_url, slack, "round", "run", "coffee")
    assert code == 0, err
    assert "Round 1 of coffee formed" in out
    _assert_each_group_introduced_once(slack, users)


@pytest.mark.parametrize("hang", ["conversations.open", "chat.postMessage"])
def test_a_round_killed_mid_delivery_is_finished_by_the_next_run_without_repeats(
    database_url: str, slack: SlackApiSimulator, hang: str
) -> None:
    users = _populate(database_url, slack, 40)
    calls = itertools.count()
    # After a few calls of `hang`, Slack acts on them but never answers: kill -9 then.
    slack.fail(hang, delay=120, when=lambda _params: next(calls) >= 6, times=None)
    # Leases of ten minutes: the next run must see the killed claimer is gone, not wait.
    process = _start(database_url, slack, "round", "run", "coffee", lease="600")
    try:
        _wait_for(
            lambda: (
                (len(slack.calls_to(hang)) >= 9 and len(_keys(slack, ":intro")) >= 3)
                or process.poll() is not None
            )
        )
        assert process.poll() is None, process.communicate()
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    slack.clear_faults()
    before = sum(_keys(slack, ":intro").values())
    code, out, err = _mentorbot(
        database_url, slack, "round", "run", "coffee", lease="600", timeout=120
    )
    assert code == 0, err
    assert "still being delivered" in out and "formed" not in out
    # Killed mid-delivery: some introductions had gone out. With posts hanging, Slack may
    # have acted on every one before the kill landed (a busy machine kills late), and
    # then the next run has to find them all and post none again.
    assert 0 < before <= len(users) // 2
    _assert_each_group_introduced_once(slack, users)
    # Only when that round is done does the next run form a new one — with new partners.
    code, out, err = _mentorbot(database_url, slack, "round", "run", "coffee")
    assert code == 0 and "Round 2 of coffee formed" in out, err
    pairs = Counter(
        frozenset(pair)
        for channel, _ in _keys(slack, ":intro")
        for pair in combinations(sorted(_members_of(slack, channel)), 2)
    )
    assert set(pairs.values()) == {1}, "a pair met twice"


@pytest.mark.postgres
def test_two_round_runs_at_once_on_postgresql_make_one_round_and_one_intro_per_group(
    postgres_url: str, slack: SlackApiSimulator
) -> None:
    from tests.conftest import _empty_tables

    asyncio.run(_empty_tables(postgres_url))
    users = _populate(postgres_url, slack, 30)
    slack.fail("*", status=429, ratio=0.2, retry_after=1)
    first = _start(postgres_url, slack, "round", "run", "coffee")
    second = _start(postgres_url, slack, "round", "run", "coffee")
    results = [(*p.communicate(timeout=240), p.returncode) for p in (first, second)]
    assert [code for *_, code in results] == [0, 0], results
    outs = [out for out, _, _ in results]
    assert sum("formed" in out for out in outs) == 1, outs
    _assert_each_group_introduced_once(slack, users)


def test_permanent_failures_are_listed_and_exit_code_3(
    database_url: str, slack: SlackApiSimulator
) -> None:
    users = _populate(database_url, slack, 10)
    victim = users[2]
    slack.fail(
        "conversations.open",
        status=200,
        error="account_inactive",
        when=lambda params: victim in str(params.get("users", "")),
        times=1000,
    )
    code, _out, err = _mentorbot(database_url, slack, "round", "run", "coffee")
    assert code == 3
    assert victim in err and "account_inactive" in err


def test_history_prints_the_design_json_shape_csv_and_a_table(
    database_url: str, slack: SlackApiSimulator
) -> None:
    import csv
    import io
    import json

    users = _populate(database_url, slack, 6)
    assert _mentorbot(database_url, slack, "round", "run", "coffee")[0] == 0
    code, out, err = _mentorbot(database_url, slack, "checkin", "run", "coffee")
    assert code == 0 and "3 check-ins queued" in out, err
    code, out, err = _mentorbot(database_url, slack, "history", "coffee", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"program", "rounds"} and data["program"] == "coffee"
    (round_,) = data["rounds"]
    assert set(round_) == {"number", "created_at", "groups"} and round_["number"] == 1
    assert all(set(g) == {"members", "outcome"} and g["outcome"] is None for g in round_["groups"])
    assert sorted(u for g in round_["groups"] for u in g["members"]) == sorted(users)
    code, out, _ = _mentorbot(database_url, slack, "history", "coffee", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 3 and rows[0]["round"] == "1"
    code, out, _ = _mentorbot(database_url, slack, "history", "coffee")
    assert code == 0 and "Round 1" in out and "person0 (U0000)" in out


def test_history_into_a_pipe_closed_early_ends_quietly(
    database_url: str, slack: SlackApiSimulator
) -> None:
    _populate(database_url, slack, 4)
    assert _mentorbot(database_url, slack, "round", "run", "coffee")[0] == 0
    process = _start(database_url, slack, "history", "coffee", "--format", "json")
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # as `| head` does once it has read enough
    err = process.stderr.read()
    process.wait(timeout=60)
    assert "Error" not in err and "Traceback" not in err, err


def test_unknown_programs_fail_with_one_line(database_url: str, slack: SlackApiSimulator) -> None:
    _populate(database_url, slack, 2)
    for command in (("round", "run", "tea"), ("checkin", "run", "tea"), ("history", "tea")):
        code, _, err = _mentorbot(database_url, slack, *command)
        assert code == 1 and len(err.strip().splitlines()) == 1 and "tea" in err


def test_a_round_killed_while_forming_leaves_nothing_behind_and_the_next_run_forms_it(
    database_url: str, slack: SlackApiSimulator
) -> None:
    users = _populate(database_url, slack, 12)
    calls = itertools.count()
    slack.fail("users.info", delay=120, when=lambda _params: next(calls) >= 4)
    process = _start(database_url, slack, "round", "run", "coffee")
    try:
        _wait_for(lambda: len(slack.calls_to("users.info")) >= 6 or process.poll() is not None)
        assert process.poll() is None, process.communicate()
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    slack.clear_faults()
    assert not _keys(slack, ":intro")
    code, out, err = _mentorbot(database_url, slack, "round", "run", "coffee")
    assert code == 0 and "Round 1 of coffee formed" in out, err
    _assert_each_group_introduced_once(slack, users)


def test_a_mentorship_program_checks_in_per_mentorship_and_its_history_lists_them(
    database_url: str, slack: SlackApiSimulator
) -> None:
    import json

    users = community.people(4, seed=4)
    community.add_to_slack(slack.workspace, users)
    roles = {users[0].id: "mentor", **{u.id: "mentee" for u in users[1:]}}

    async def enroll() -> None:
        engine = create_engine(database_url)
        uow = UnitOfWorkFactory(session_factory(engine))
        try:
            workspace = await uow.ensure_workspace("slack", "T0001", name="Acme", now=NOW)
            await community.enroll(
                uow,
                workspace.id,
                users,
                now=NOW,
                program="mentoring",
                kind="mentorship",
                settings={"mentor_capacity": 2},
                channel_id=CHANNEL,
                roles=roles,
            )
        finally:
            await engine.dispose()

    asyncio.run(enroll())
    assert _mentorbot(database_url, slack, "round", "run", "mentoring")[0] == 0
    code, out, err = _mentorbot(database_url, slack, "checkin", "run", "mentoring")
    assert code == 0 and "each mentorship is checked in on when due; now 0 check-ins" in out, err
    code, out, err = _mentorbot(database_url, slack, "history", "mentoring", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert list(data) == ["program", "rounds", "mentorships"]
    assert len(data["mentorships"]) == len(data["rounds"][0]["groups"]) == 2
    for row in data["mentorships"]:
        assert set(row) == {
            "mentor", "mentee", "state", "started_at", "ends_at", "goals", "decided_by"
        }  # fmt: skip
        assert row["mentor"] == users[0].id and row["state"] == "active"
        assert row["decided_by"] == "engine"
        assert row["goals"] == [{"goal": "python", "progress": "not_started"}]
