"""The monthly impact digest goes to each lead once per program and month, through the
outbox, on the simulated Slack and on the simulated Microsoft Teams — however often the
clock fires; and the clock schedules it as the program's setting says (or not at all)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.config import Settings
from bot.core import Core
from bot.scheduler import Clock
from bot.services.checkins import CHECKIN_KINDS, queue_checkins
from bot.services.rounds import form_round
from bot.services.scheduled import run_digest
from bot.slack.simulator.slack_api import SlackApiSimulator
from bot.teams.simulator.microsoft import MicrosoftSimulator
from storage.repositories import ProgramSpec
from tests.conftest import NOW
from tests.e2e.teams_helpers import TENANT, aad, coffee, join_everyone, microsoft, running, tenant
from tests.e2e.test_checkins import _round
from tests.fakes.clock import FakeClock

__all__ = ["microsoft"]
LEAD = "U0ADA"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"admins": [LEAD], "public_url": "https://mentorbot.example.com"}
    )


def _digests(slack: SlackApiSimulator) -> list:  # type: ignore[type-arg]
    return [
        m
        for m in slack.workspace.all_messages()
        if ":digest:" in (m.metadata or {}).get("event_payload", {}).get("key", "")
    ]


async def test_on_slack_the_digest_reaches_each_lead_once_a_month(
    container: Core, clock: FakeClock, slack: SlackApiSimulator
) -> None:
    workspace, _ = await _round(container, clock)
    scope = await container.scope_for(workspace, paced=True)
    first = await run_digest(scope, "coffee")
    again = await run_digest(scope, "coffee")  # a second clock, a retry, a weekly schedule
    assert first is not None and again is not None
    assert first.leads == (LEAD,) and first.queued == 1 and again.queued == 0
    (message,) = _digests(slack)
    assert slack.workspace.conversation_of({LEAD}) == message.channel
    text = str(message.blocks)
    assert "impact digest for 2026-11" in text and "E-I index" in text
    assert "answers so far" in text and "shown only from 5" in text
    assert "https://mentorbot.example.com/dashboard/login?token=" in text
    clock.advance(days=5)  # 28 November: still this month's digest, nothing new
    assert (await run_digest(scope, "coffee")).queued == 0  # type: ignore[union-attr]
    clock.advance(days=10)  # 8 December: a new month
    december = await run_digest(scope, "coffee")
    assert december is not None and december.month == "2026-12" and december.queued == 1
    assert len(_digests(slack)) == 2
    assert "Since last month" in str(_digests(slack)[-1].blocks)


async def test_a_program_without_rounds_sends_no_digest(
    container: Core, clock: FakeClock, slack: SlackApiSimulator
) -> None:
    workspace = await container.workspace()
    async with container.uow(workspace.id) as uow:
        await uow.programs.save(ProgramSpec(name="new"), now=NOW, source="test")
        await uow.commit()
    assert await run_digest(await container.scope_for(workspace, paced=True), "new") is None
    assert _digests(slack) == []


async def test_the_clock_schedules_the_digest_as_the_setting_says_and_not_when_off(
    container: Core, clock: FakeClock
) -> None:
    workspace = await container.workspace()
    async with container.uow(workspace.id) as uow:
        await uow.programs.save(
            ProgramSpec(name="coffee", timezone="Europe/Berlin"), now=NOW, source="test"
        )
        await uow.programs.save(
            ProgramSpec(
                name="quiet",
                settings={"impact_digest": "off"},
            ),
            now=NOW,
            source="test",
        )
        await uow.programs.save(
            ProgramSpec(name="weekly", settings={"impact_digest": "every friday at 16:00"}),
            now=NOW,
            source="test",
        )
        await uow.commit()
    ticking = Clock(container)
    ticking.scheduler.start(paused=True)
    try:
        await ticking.reconcile()
        jobs = {job.name: job for job in ticking.scheduler.get_jobs()}
        assert "impact digest of quiet" not in jobs
        monthly = jobs["impact digest of coffee"].trigger.get_next_fire_time(None, NOW)
        assert (monthly.month, monthly.day, monthly.hour) == (12, 7, 9)  # first Monday, Berlin
        weekly = jobs["impact digest of weekly"].trigger.get_next_fire_time(None, NOW)
        assert weekly.weekday() == 4 and weekly - NOW < timedelta(days=7)
    finally:
        ticking.scheduler.shutdown(wait=False)


async def test_on_teams_the_digest_reaches_the_lead_once(
    microsoft: MicrosoftSimulator, database_url: str
) -> None:
    clock = FakeClock(NOW)
    async with running(
        microsoft,
        database_url,
        [tenant(3)],
        clock=clock,
        teams_tenant_id=TENANT,
        programs=[coffee()],
        admins=[aad(0)],
    ) as (core, driver):
        await join_everyone(driver, [aad(0), aad(1), aad(2)])
        await driver.install(aad(0))
        scope = await core.scope_for(await core.workspace(TENANT), paced=True)
        formed = await form_round(scope, "coffee", seed=1)
        assert (await core.deliveries.deliver_round(scope.workspace, formed.round.id)).delivered
        clock.advance(days=3)
        queued = await queue_checkins(scope, "coffee")
        await core.deliveries.deliver_round(scope.workspace, queued.round.id, kinds=CHECKIN_KINDS)
        first = await run_digest(scope, "coffee")
        second = await run_digest(scope, "coffee")
        assert first is not None and aad(0) in first.leads and first.queued == len(first.leads)
        assert second is not None and second.queued == 0
        digests = [m for m in driver.inbox(aad(0)) if ":digest:" in (m.key or "")]
        assert len(digests) == 1
        assert "impact digest for 2026-11" in " ".join(digests[0].texts())
