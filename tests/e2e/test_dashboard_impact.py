"""The impact report on the dashboard end to end: signed in from Slack, the heat-map and
its table, the trends against random pairing, the people to look after, outcomes only
from five answers — and a round still going out shows its delivery progress."""

from __future__ import annotations

import re

import aiohttp

from bot.core import Core
from bot.services.rounds import form_round
from bot.slack.simulator.driver import SlackDriver
from storage.records import ProgramRecord
from tests.e2e.test_dashboard import browser, coffee, get, public_url, settings, sign_in, text_of
from tests.fakes.clock import FakeClock

__all__ = ["browser", "coffee", "public_url", "settings"]


async def test_the_impact_page_shows_the_network_trends_and_hides_few_answers(
    driver: SlackDriver,
    browser: aiohttp.ClientSession,
    app_url: str,
    container: Core,
    coffee: ProgramRecord,
) -> None:
    await sign_in(driver, browser, app_url)
    status, program_page = await get(browser, f"{app_url}/dashboard/programs/{coffee.id}")
    assert status == 200 and f'href="/dashboard/programs/{coffee.id}/impact"' in program_page
    status, page = await get(browser, f"{app_url}/dashboard/programs/{coffee.id}/impact")
    assert status == 200
    seen = text_of(page)
    # Grace (Platform) and Kath (Data) are the tie left; Ada (no team yet) never matched.
    assert "+1.00 E-I index (random pairing: +1.00)" in seen
    assert "Ties between teams" in seen and "Data Platform 1" in seen  # the table
    assert 'class="heat"' in page and "Data – Platform: 1 tie" in page
    assert "E-I index round by round: the company network" in seen
    assert "Random pairing, 1: 1" in seen and "Company network, 1: 1" in seen
    assert "company network E-I index, start → now" in seen
    assert "Bridges: Data ↔ Platform" in seen
    assert "0 answers so far — totals appear from 5" in seen
    assert "never shown by name" in seen
    assert "@media print" in page
    status, _ = await get(browser, f"{app_url}/dashboard/programs/{coffee.id + 999}/impact")
    assert status == 404


async def test_a_round_still_going_out_shows_its_delivery_progress(
    driver: SlackDriver,
    browser: aiohttp.ClientSession,
    app_url: str,
    container: Core,
    coffee: ProgramRecord,
    clock: FakeClock,
) -> None:
    clock.advance(days=7)
    workspace = await container.workspace()
    scope = await container.scope_for(workspace, paced=True)
    formed = await form_round(scope, "coffee", seed=2)  # queued, not delivered yet
    async with container.uow(workspace.id, read_only=True) as uow:
        rows = await uow.outbox.for_round(formed.round.id)
    await sign_in(driver, browser, app_url)
    for path in ("", "/impact"):
        status, page = await get(browser, f"{app_url}/dashboard/programs/{coffee.id}{path}")
        assert status == 200
        found = re.search(r"Round 2 is still going out: (\d+) of (\d+) messages sent", page)
        assert found is not None, text_of(page)
        assert int(found.group(2)) == len(rows) > 0
        assert "<progress" in page
