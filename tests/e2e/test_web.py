"""The web process end to end: health, Slack's signature check, the request URL."""

from __future__ import annotations

import json
import time

import aiohttp

from bot.slack.simulator.driver import SlackDriver


async def test_healthz_reports_version_and_a_reachable_database(app_url: str) -> None:
    async with aiohttp.ClientSession() as session, session.get(f"{app_url}/healthz") as response:
        body = await response.json()
    assert response.status == 200
    assert body["database"]["reachable"] is True
    assert body["version"]


async def test_slack_url_verification_is_answered_with_the_challenge(driver: SlackDriver) -> None:
    status, body = await driver.post_json(
        {"token": "t", "challenge": "c-123", "type": "url_verification"}
    )
    assert status == 200
    assert "c-123" in body


async def test_a_forged_signature_is_refused_and_nothing_happens(driver: SlackDriver) -> None:
    form = {"command": "/mentor", "text": "help", "user_id": "U0ADA", "team_id": "T0001"}
    body = "&".join(f"{k}={v}" for k, v in form.items())
    status, _ = await driver.post(body, "application/x-www-form-urlencoded", secret="wrong")
    assert status == 401
    status, _ = await driver.post(body, "application/x-www-form-urlencoded", signed=False)
    assert status == 401


async def test_a_stale_timestamp_is_refused(driver: SlackDriver) -> None:
    body = json.dumps({"token": "t", "challenge": "c", "type": "url_verification"})
    stale = int(time.time()) - 6 * 60
    status, _ = await driver.post(body, "application/json", timestamp=stale)
    assert status == 401


async def test_mentor_help_lists_the_commands(driver: SlackDriver) -> None:
    reply = await driver.command("U0ADA", "help")
    assert reply.status == 200
    assert "signup" in reply.text
