"""The real app on PostgreSQL behind a proxy of the test's own that can make the database
stop answering, refuse or drop connections — and what people and operators then see.

A stuck database (issue 13: ``/healthz`` gave no answer for 180 s, ``/mentor profile``
acknowledged and never replied, dashboard login took 60 s and then 500) is reported
within the limits, people get a polite answer within Slack's window, and everything
works again once the database does, without a restart.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import pytest

from bot.core import Core
from bot.deadlines import ANSWER_SECONDS
from bot.slack.simulator.driver import SlackDriver
from bot.slack.simulator.slack_api import SlackApiSimulator
from bot.slack.simulator.workspace import TRIGGER_SECONDS
from tests.conftest import _empty_tables
from tests.e2e.slack_helpers import add_program, later_responses, sign_up, wait_until
from tests.fakes.tcp_proxy import FaultProxy

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

HEALTH_LIMIT = 2.0  # /healthz answers within this, whatever the database does
POLITE = "try again in a minute"


@pytest.fixture
def proxy(postgres_url: str) -> Iterator[FaultProxy]:
    with FaultProxy.to(postgres_url) as running:
        yield running


@pytest.fixture
def database_url(postgres_url: str, proxy: FaultProxy) -> str:
    """The test's PostgreSQL database, reached through the proxy."""
    asyncio.run(_empty_tables(postgres_url))
    return proxy.url_for(postgres_url)


@pytest.fixture
async def browser() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        yield session


async def _health(app_url: str) -> tuple[int, dict[str, Any], float]:
    started = time.monotonic()
    timeout = aiohttp.ClientTimeout(total=HEALTH_LIMIT + 3)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.get(f"{app_url}/healthz") as response,
    ):
        return response.status, await response.json(), time.monotonic() - started


async def _reply(slack: SlackApiSimulator, reply: Any, wait: float) -> str:
    """The text the person got through the command's response_url (or its modal)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        posted = later_responses(slack, reply)
        if posted:
            return str(posted)
        view_id = slack.workspace.view_triggers.get(reply.trigger_id)
        view = slack.workspace.views.get(view_id or "")
        if view and view.get("callback_id") not in (None, "mentorbot_loading"):
            return str(view)
        await asyncio.sleep(0.05)
    return ""


async def _timed(request: Any) -> tuple[Any, float]:
    started = time.monotonic()
    return await request, time.monotonic() - started


async def _page(browser: aiohttp.ClientSession, url: str) -> tuple[int, float]:
    started = time.monotonic()
    async with browser.get(url, allow_redirects=False) as response:
        await response.read()
        return response.status, time.monotonic() - started


async def test_a_database_that_stops_answering_is_reported_and_people_are_told_politely(
    app_url: str,
    driver: SlackDriver,
    container: Core,
    slack: SlackApiSimulator,
    proxy: FaultProxy,
    browser: aiohttp.ClientSession,
) -> None:
    coffee = await add_program(container, "coffee")
    assert not (await sign_up(driver, "U0ALAN", {"program": str(coffee.id)})).body
    link = re.search(
        r"/dashboard/login\?token=[\w.\-~%]+", (await driver.command("U0ADA", "dashboard")).text
    )
    assert link is not None
    assert (await _page(browser, app_url + link.group(0)))[0] == 303  # signed in
    asked = await driver.command("U0KATH", "signup")
    form = driver.opened_view(asked)

    proxy.blackhole()
    status, body, took = await _health(app_url)
    assert status == 503 and took < HEALTH_LIMIT, (status, body, took)
    assert "did not answer" in body["database"]["error"]

    started = time.monotonic()
    profile, signup, dashboard, submitted = await asyncio.gather(
        driver.command("U0ALAN", "profile", wait=0),
        driver.command("U0ALAN", "signup", wait=0),
        _page(browser, f"{app_url}/dashboard"),
        _timed(driver.submit("U0KATH", form, {"program": str(coffee.id)})),
    )
    assert profile.status == signup.status == 200
    reply, took = submitted  # Slack gives up on a submission after 3 s: closed in time,
    assert took < TRIGGER_SECONDS and reply.status == 200 and not reply.body
    told = await wait_until(lambda: later_responses(slack, asked), ANSWER_SECONDS + 3)
    assert POLITE in str(told), told  # and then told it was not saved
    assert time.monotonic() - started < ANSWER_SECONDS + 3
    assert dashboard[0] == 503 and dashboard[1] < ANSWER_SECONDS + 2, dashboard
    said = await asyncio.gather(
        _reply(slack, profile, ANSWER_SECONDS + 3), _reply(slack, signup, ANSWER_SECONDS + 3)
    )
    assert all(POLITE in text for text in said), said
    assert slack.workspace.trigger_waits[signup.trigger_id] < TRIGGER_SECONDS
    assert time.monotonic() - started < ANSWER_SECONDS + 5

    proxy.heal()  # and back, without a restart
    deadline = time.monotonic() + 15
    while (await _health(app_url))[0] != 200:
        assert time.monotonic() < deadline, "healthz never recovered"
        await asyncio.sleep(0.2)
    again = await driver.command("U0ALAN", "profile", wait=15)
    assert "coffee" in again.text and POLITE not in again.text, again.text
    assert (await _page(browser, f"{app_url}/dashboard"))[0] == 200


async def test_a_refused_database_is_reported_at_once_and_recovers(
    app_url: str, driver: SlackDriver, container: Core, proxy: FaultProxy
) -> None:
    await add_program(container, "coffee")
    proxy.refuse()
    status, body, took = await _health(app_url)
    assert status == 503 and took < 1.0 and "unreachable" in body["database"]["error"]
    reply = await driver.command("U0ALAN", "profile", wait=ANSWER_SECONDS)
    assert POLITE in reply.text
    proxy.heal()
    assert (await _health(app_url))[0] == 200
    assert POLITE not in (await driver.command("U0ALAN", "profile", wait=10)).text
