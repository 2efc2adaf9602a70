"""One process serves a Slack workspace and a Teams tenant at once, and keeps them apart:
each has its own program called "coffee", its own people, rounds and reports; a lead's
dashboard session sees only their own workspace; ``history --format json`` has the
same shape for the tenant, with Entra object ids as user ids."""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

import aiohttp
import pytest

from bot.bootstrap import build
from bot.services.programs import sync_config_programs
from bot.services.rounds import form_round
from bot.slack.simulator.driver import SlackDriver
from bot.slack.simulator.slack_api import SlackApiSimulator
from bot.teams.simulator.driver import TeamsDriver
from bot.teams.simulator.microsoft import MicrosoftSimulator
from tests.conftest import NOW
from tests.e2e.teams_helpers import (
    LEAD,
    TENANT,
    TickingClock,
    aad,
    coffee,
    join_everyone,
    microsoft,
    serving,
    settings,
    tenant,
)
from tests.fakes import community

__all__ = ["microsoft"]
SIGNING_SECRET = "both-platforms-secret"
SLACK_LEAD = "U0000"


async def test_a_slack_workspace_and_a_teams_tenant_in_one_process_stay_apart(
    microsoft: MicrosoftSimulator, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    world = tenant(6)
    microsoft.reset([world])
    slack_people = community.people(4, seed=4)
    with SlackApiSimulator() as slack:
        community.add_to_slack(slack.workspace, slack_people)
        slack.workspace.add_channel("C0COFFEE")
        both = settings(
            database_url,
            microsoft,
            teams_tenant_id=TENANT,
            slack_bot_token="xoxb-sim",
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=slack.api_url,
            admins=[SLACK_LEAD, LEAD],
        )
        core = build(both, clock=TickingClock())
        try:
            async with serving(core) as url:
                slack_ws = await core.workspace("T0001")
                teams_ws = await core.workspace(TENANT)
                assert {slack_ws.platform, teams_ws.platform} == {"slack", "teams"}
                await community.enroll(core.uow, slack_ws.id, slack_people, now=NOW)
                await sync_config_programs(core.uow, teams_ws.id, [coffee()], clock=core.clock)
                async with TeamsDriver(url, microsoft) as teams:
                    await join_everyone(teams, [aad(i) for i in range(6)])
                    for workspace in (slack_ws, teams_ws):
                        scope = await core.scope_for(workspace, paced=True)
                        formed = await form_round(scope, "coffee", seed=1)
                        assert (
                            await core.deliveries.deliver_round(workspace, formed.round.id)
                        ).delivered

                    await teams.say(LEAD, "stats coffee")
                    teams_stats = str(teams.last(LEAD).activity["summary"])
                    async with SlackDriver(url, SIGNING_SECRET, slack) as slack_driver:
                        reply = await slack_driver.command(SLACK_LEAD, "stats coffee", wait=5)
                    slack_stats = reply.text
                    assert teams_stats.startswith("coffee: 6 enrolled"), teams_stats
                    assert "coffee: 4 enrolled" in slack_stats, slack_stats

                    # Nobody on one platform got anything meant for the other.
                    teams_posts = {c.id for c in world.conversations.values() if c.from_bot()}
                    slack_posts = {m.channel for m in slack.workspace.all_messages()}
                    assert not teams_posts & slack_posts
                    assert all(
                        m.channel.startswith(("C", "D", "G"))
                        for m in slack.workspace.all_messages()
                    )

                    # A Teams lead's dashboard session cannot open the Slack program.
                    await teams.say(LEAD, "dashboard")
                    path = next(
                        t for t in teams.last(LEAD).texts() if "/dashboard/login" in t
                    ).strip("*")
                    slack_program = await _program_id(core, slack_ws.id)
                    teams_program = await _program_id(core, teams_ws.id)
                    jar = aiohttp.CookieJar(unsafe=True)
                    async with aiohttp.ClientSession(cookie_jar=jar) as browser:
                        async with browser.get(url + path) as landing:
                            assert landing.status == 200
                        async with browser.get(f"{url}/dashboard/programs/{teams_program}") as own:
                            assert own.status == 200
                        async with browser.get(
                            f"{url}/dashboard/programs/{slack_program}"
                        ) as other:
                            assert other.status == 404

                from bot.cli.history import run_history

                args = argparse.Namespace(program="coffee", format="json", workspace=TENANT)
                assert await run_history(args, both) == 0
                exported: dict[str, Any] = json.loads(capsys.readouterr().out)
                members = {m for r in exported["rounds"] for g in r["groups"] for m in g["members"]}
                assert exported["program"] == "coffee" and members == {aad(i) for i in range(6)}
                assert set(exported["rounds"][0]["groups"][0]) == {"members", "outcome"}
        finally:
            await core.aclose()
            await asyncio.sleep(0)


async def _program_id(core: Any, workspace_id: int) -> int:
    async with core.uow(workspace_id, read_only=True) as uow:
        program = await uow.programs.by_name("coffee")
    assert program is not None
    return int(program.id)
