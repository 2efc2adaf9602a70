"""A round formed and delivered on PostgreSQL while a proxy of the test's own refuses,
blackholes and cuts the database's connections — mid-transaction included.

Whatever the database does, a round is stored whole or not at all, each introduction
goes out exactly once, and the round is delivered once the database is back.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import func, select

from bot.bootstrap import build
from bot.config import Settings
from bot.core import Core
from bot.delivery import keys
from bot.services.delivery import DeliveryReport
from bot.services.rounds import FormedRound, form_round
from bot.slack.simulator.slack_api import SlackApiSimulator
from storage import orm
from storage.db import create_engine
from storage.records import WorkspaceRecord
from tests.conftest import NOW, _empty_tables
from tests.fakes import community
from tests.fakes.tcp_proxy import FaultProxy

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
PEOPLE = 60


@pytest.fixture
def proxy(postgres_url: str) -> Iterator[FaultProxy]:
    with FaultProxy.to(postgres_url) as running:
        yield running


@pytest.fixture
def slack() -> Iterator[SlackApiSimulator]:
    simulator = SlackApiSimulator(seed=5)
    simulator.workspace.add_channel("C0COFFEE")
    with simulator:
        yield simulator


@pytest.fixture
async def container(
    postgres_url: str, proxy: FaultProxy, slack: SlackApiSimulator
) -> AsyncIterator[Core]:
    await _empty_tables(postgres_url)
    settings = Settings(
        database_url=proxy.url_for(postgres_url),
        slack_bot_token="xoxb-sim",
        slack_signing_secret="secret",
        slack_api_url=slack.api_url,
        embedded_clock=False,
        delivery_lease_seconds=2,  # rows a failed sender held are retaken soon
        database_statement_timeout=2,
        database_connect_timeout=1,
    )
    built = build(settings, rate_limit_speedup=60)  # real time: leases and backoff run out
    yield built
    await built.deliveries.aclose()
    await built.aclose()


@pytest.fixture
async def workspace(container: Core, slack: SlackApiSimulator) -> WorkspaceRecord:
    found = await container.workspace()
    users = community.people(PEOPLE)
    community.add_to_slack(slack.workspace, users)
    await community.enroll(container.uow, found.id, users, now=NOW, channel_id="C0COFFEE")
    return found


async def _form(container: Core, workspace: WorkspaceRecord) -> FormedRound:
    return await form_round(await container.scope_for(workspace, paced=True), "coffee", seed=11)


async def _deliver_until_done(
    container: Core, workspace: WorkspaceRecord, round_id: int, *, within: float = 60
) -> DeliveryReport:
    """What the worker does: drain again after a pass the database broke."""
    deadline = time.monotonic() + within
    while True:
        assert time.monotonic() < deadline, "the round was never delivered"
        try:
            report = await container.deliveries.deliver_round(workspace, round_id)
        except Exception:  # the database went away mid-pass: the next pass goes on
            await asyncio.sleep(0.3)
            continue
        if report.delivered:
            return report
        await asyncio.sleep(0.3)


async def _counts(postgres_url: str) -> dict[str, int]:
    """Rows as the database holds them, read past the proxy."""
    engine = create_engine(postgres_url)
    try:
        async with engine.connect() as connection:
            return {
                table.__tablename__: int(
                    await connection.scalar(select(func.count()).select_from(table)) or 0
                )
                for table in (orm.Round, orm.Group, orm.OutboxMessage)
            }
    finally:
        await engine.dispose()


async def _retried(postgres_url: str) -> int:
    """Outbox rows that took more than one try (a fault hit their sending)."""
    engine = create_engine(postgres_url)
    try:
        async with engine.connect() as connection:
            query = select(func.count()).where(orm.OutboxMessage.attempts > 1)
            return int(await connection.scalar(query) or 0)
    finally:
        await engine.dispose()


def _intros(slack: SlackApiSimulator) -> Counter[str]:
    found: Counter[str] = Counter()
    for message in slack.workspace.all_messages():
        key = (message.metadata or {}).get("event_payload", {}).get("key", "")
        if key.endswith(":intro"):
            found[key] += 1
    return found


async def test_a_round_is_stored_whole_or_not_at_all_when_the_database_goes_away(
    container: Core, workspace: WorkspaceRecord, proxy: FaultProxy, postgres_url: str
) -> None:
    proxy.refuse()
    with pytest.raises(Exception):  # noqa: B017 - any database error will do
        await _form(container, workspace)
    proxy.heal()
    proxy.cut_when(b"INSERT INTO round_groups")  # mid-transaction: the round row is in
    with pytest.raises(Exception):  # noqa: B017
        await _form(container, workspace)
    assert proxy.cuts > 0
    assert await _counts(postgres_url) == {"rounds": 0, "round_groups": 0, "outbox": 0}
    formed = await _form(container, workspace)
    assert formed.created and formed.round.number == 1
    counts = await _counts(postgres_url)
    assert counts["rounds"] == 1 and counts["round_groups"] == PEOPLE // 2


async def test_every_introduction_goes_out_once_while_connections_are_cut_and_blackholed(
    container: Core,
    workspace: WorkspaceRecord,
    proxy: FaultProxy,
    slack: SlackApiSimulator,
    postgres_url: str,
) -> None:
    formed = await _form(container, workspace)
    # Slack answers slowly enough for the faults to land in the middle of delivery: the
    # drain sends 16 rows at once, so at 0.3 s + 0.2 s a round was over before the first
    # blackhole on a fast machine, and no fault reached it.
    slack.fail("conversations.open", delay=1.0)
    slack.fail("chat.postMessage", delay=0.8)

    async def faults() -> None:
        for fault, hold in itertools.cycle(
            [(proxy.cut, 0.4), (proxy.refuse, 0.8), (proxy.blackhole, 2.5), (proxy.cut, 0.6)]
        ):
            fault()
            await asyncio.sleep(hold)
            proxy.heal()
            await asyncio.sleep(0.5)

    chaos = asyncio.create_task(faults())
    try:
        delivering = asyncio.create_task(_deliver_until_done(container, workspace, formed.round.id))
        await asyncio.sleep(6)  # a few rounds of faults, then let it finish
    finally:
        chaos.cancel()
        proxy.heal()
    report = await delivering
    assert report.delivered and not report.failed
    assert await _retried(postgres_url) > 0, "the faults missed the delivery"
    intros = _intros(slack)
    expected = {keys.intro(formed.round.id, g.id) for g in formed.round.groups}
    assert set(intros) == expected and set(intros.values()) == {1}, intros
    assert proxy.cuts > 0
