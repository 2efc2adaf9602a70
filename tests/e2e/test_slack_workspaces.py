"""Several workspaces through Slack's OAuth install; no request from one workspace can
read or change another's data."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.config import Settings
from bot.core import Core
from bot.slack.simulator.driver import SlackDriver
from bot.slack.simulator.slack_api import SlackApiSimulator
from bot.slack.simulator.workspace import SimulatedUser
from storage.records import ProgramRecord
from tests.e2e.conftest import SIGNING_SECRET
from tests.e2e.slack_helpers import (
    add_program,
    block_texts,
    enrollments,
    readable,
    sign_up,
    workspace_id,
)

CLIENT_ID = "1111.2222"


@pytest.fixture
def settings(database_url: str, slack: SlackApiSimulator) -> Settings:
    """Multi-workspace mode: OAuth client credentials, no single bot token."""
    return Settings(
        database_url=database_url,
        slack_signing_secret=SIGNING_SECRET,
        slack_client_id=CLIENT_ID,
        slack_client_secret="e2e-client-secret",
        slack_api_url=slack.api_url,
        embedded_clock=False,
    )


async def install(app_url: str, slack: SlackApiSimulator, team_id: str, name: str) -> str:
    """Go through /slack/install and /slack/oauth_redirect as a browser would."""
    code = f"code-{team_id}"
    slack.workspace.prepare_install(code, team_id, name, installer="U0INSTALLER")
    # The state cookie is "Secure"; a browser on https would send it back, so do that.
    jar = aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=[app_url])
    async with aiohttp.ClientSession(cookie_jar=jar) as browser:
        async with browser.get(f"{app_url}/slack/install") as page:
            assert page.status == 200
            html = await page.text()
        state = re.search(r"state=([\w-]+)", html)
        assert state is not None, html
        params = {"code": code, "state": state.group(1)}
        async with browser.get(f"{app_url}/slack/oauth_redirect", params=params) as done:
            assert done.status == 200, await done.text()
            return await done.text()


@pytest.fixture
async def beta(app_url: str, slack: SlackApiSimulator) -> AsyncIterator[SlackDriver]:
    """Workspaces Acme (T0001) and Beta (T0002) both installed; a driver acting as Beta."""
    slack.workspace.add_team("T0002", "Beta", token="")
    slack.workspace.add_user(SimulatedUser("U0BOB", "bob", "Bob Beta", tz="Asia/Tokyo"), "T0002")
    slack.workspace.add_user(SimulatedUser("U0BEA", "bea", "Bea Beta", is_admin=True), "T0002")
    await install(app_url, slack, "T0001", "Acme")
    await install(app_url, slack, "T0002", "Beta")
    async with SlackDriver(app_url, SIGNING_SECRET, slack, team_id="T0002") as driver:
        yield driver


@pytest.fixture
async def acme_coffee(beta: SlackDriver, driver: SlackDriver, container: Core) -> ProgramRecord:
    coffee = await add_program(container, "acme coffee")
    assert not (await sign_up(driver, "U0ALAN", {"program": str(coffee.id)})).body
    return coffee


async def test_install_stores_each_workspace_and_its_bot_token(
    beta: SlackDriver, container: Core, slack: SlackApiSimulator
) -> None:
    installations = container.platforms.get("slack").installations  # type: ignore[attr-defined]
    assert installations is not None
    for team_id in ("T0001", "T0002"):
        bot = await installations.async_find_bot(enterprise_id=None, team_id=team_id)
        assert bot is not None and bot.bot_token == slack.workspace.teams[team_id].token


async def test_each_workspace_answers_with_its_own_token(
    beta: SlackDriver, slack: SlackApiSimulator
) -> None:
    await beta.command("U0BOB", "profile")
    [lookup] = [c for c in slack.calls_to("users.info") if c.params.get("user") == "U0BOB"]
    assert lookup.team_id == "T0002"


async def test_a_workspace_sees_only_its_own_programs(
    beta: SlackDriver, container: Core, acme_coffee: ProgramRecord
) -> None:
    await add_program(container, "beta tea", team_id="T0002")
    view = beta.opened_view(await beta.command("U0BOB", "signup"))
    offered = next(b for b in view["blocks"] if b.get("block_id") == "program")
    assert [o["text"]["text"] for o in offered["element"]["options"]] == ["beta tea (coffee)"]
    named = await beta.command("U0BOB", "signup acme coffee")
    assert "no program called" in named.text  # shown in the modal, in place of the form
    stats = await beta.command("U0BEA", "stats acme coffee")  # Bea leads Beta, not Acme
    assert "no program called" in readable(stats)


async def test_a_forged_program_id_from_another_workspace_changes_nothing(
    beta: SlackDriver, container: Core, acme_coffee: ProgramRecord
) -> None:
    await add_program(container, "beta tea", team_id="T0002")
    view = beta.opened_view(await beta.command("U0BOB", "signup"))
    reply = await beta.submit("U0BOB", view, {"program": str(acme_coffee.id)})
    assert set(reply.json()["errors"]) == {"program"}
    assert await enrollments(container, "U0BOB", team_id="T0002") == []
    async with container.uow(await workspace_id(container, "T0001")) as uow:
        acme = await uow.enrollments.for_program(acme_coffee.id)
    assert [e.person.user_id for e in acme] == ["U0ALAN"]


async def test_the_same_user_id_in_another_workspace_is_someone_else(
    beta: SlackDriver, container: Core, acme_coffee: ProgramRecord, slack: SlackApiSimulator
) -> None:
    """Alan's Slack id sent from Beta must not reach Alan's Acme enrollment."""
    slack.workspace.add_user(SimulatedUser("U0ALAN", "alan-b", "Alan of Beta"), "T0002")
    for text in ("match", "pause", "leave"):
        assert "not signed up" in readable(await beta.command("U0ALAN", text))
    [enrolled] = await enrollments(container, "U0ALAN", team_id="T0001")
    assert not enrolled.paused and enrolled.left_at is None
    await beta.open_home("U0ALAN", wait=3.0)
    home = block_texts(slack.workspace.homes["U0ALAN"]["blocks"])
    assert "acme coffee" not in home and "not in any program" in home


async def test_a_request_from_a_workspace_that_never_installed_is_not_served(
    app_url: str, beta: SlackDriver, slack: SlackApiSimulator, container: Core
) -> None:
    async with SlackDriver(app_url, SIGNING_SECRET, slack, team_id="T0BOGUS") as stranger:
        reply = await stranger.command("U0BOB", "signup")
    assert "install this app" in readable(reply)  # Bolt's own answer: no installation found
    assert slack.workspace.views == {}
    async with container.uow.workspaces() as unit:
        assert await unit.workspaces.find("slack", "T0BOGUS") is None
