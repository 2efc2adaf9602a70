"""Requests Slack did not sign — forged, unsigned, stale — get 401 and change nothing:
no Web API call, no row stored."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.core import Core
from bot.slack.simulator.driver import SlackDriver, state_values
from bot.slack.simulator.slack_api import SlackApiSimulator
from storage.records import ProgramRecord
from tests.e2e.slack_helpers import add_program, enrollments, person

FORGERIES = {  # how each forgery signs, worked out when the test runs
    "wrong secret": lambda: {"secret": "not-the-signing-secret"},
    "unsigned": lambda: {"signed": False},
    "six minutes old": lambda: {"timestamp": int(time.time()) - 6 * 60},
    "six minutes ahead": lambda: {"timestamp": int(time.time()) + 6 * 60},
}


@pytest.fixture
async def coffee(container: Core, driver: SlackDriver) -> ProgramRecord:
    return await add_program(container, "coffee", channel_id="C0COFFEE", join_via_channel=True)


def _command(text: str) -> str:
    return urlencode(
        {
            "team_id": "T0001",
            "channel_id": "C0GENERAL",
            "user_id": "U0ALAN",
            "command": "/mentor",
            "text": text,
            "response_url": "http://127.0.0.1:9/response/x",
            "trigger_id": "forged.trigger",
        }
    )


def _submission(program: ProgramRecord) -> str:
    view = {
        "id": "V0FORGED",
        "type": "modal",
        "callback_id": "mentor_signup",
        "blocks": [
            {
                "type": "input",
                "block_id": "program",
                "element": {"type": "static_select", "action_id": "program", "options": []},
            }
        ],
    }
    view["state"] = {"values": state_values(view, {"program": str(program.id)})}
    payload = {
        "type": "view_submission",
        "team": {"id": "T0001"},
        "user": {"id": "U0ALAN", "team_id": "T0001"},
        "view": view,
    }
    return urlencode({"payload": json.dumps(payload)})


@pytest.mark.parametrize("forging", FORGERIES.values(), ids=list(FORGERIES))
async def test_an_unsigned_or_stale_request_is_refused_and_nothing_happens(
    driver: SlackDriver,
    container: Core,
    slack: SlackApiSimulator,
    coffee: ProgramRecord,
    forging: Callable[[], dict[str, Any]],
) -> None:
    forgery = forging()
    calls_before = len(slack.calls)
    form = "application/x-www-form-urlencoded"
    event = {
        "type": "event_callback",
        "team_id": "T0001",
        "event": {"type": "member_joined_channel", "user": "U0ALAN", "channel": "C0COFFEE"},
    }
    answers = [
        await driver.post(_command("signup"), form, **forgery),
        await driver.post(_command("pause 3"), form, **forgery),
        await driver.post(_submission(coffee), form, **forgery),
        await driver.post(json.dumps(event), "application/json", **forgery),
    ]
    assert [status for status, _ in answers] == [401, 401, 401, 401]
    await asyncio.sleep(0.3)  # anything started in the background would have acted by now
    assert len(slack.calls) == calls_before  # no views.open, users.info, chat.*
    assert slack.workspace.views == {} and slack.workspace.responses == {}
    assert await person(container, "U0ALAN") is None
    assert await enrollments(container, "U0ALAN") == []


async def test_the_same_request_signed_properly_does_act(
    driver: SlackDriver, container: Core, coffee: ProgramRecord
) -> None:
    """The control for the test above: it is the signature that made the difference."""
    status, _ = await driver.post(_submission(coffee), "application/x-www-form-urlencoded")
    assert status == 200
    [enrolled] = await enrollments(container, "U0ALAN")
    assert enrolled.program_id == coffee.id


MALFORMED = {  # bodies Bolt cannot parse (it parses before it checks the signature)
    "payload with trailing bytes": ('payload={"type": "block_actions"}x', "form"),
    "payload that is a list": ("payload=[]", "form"),
    "payload that is null": ("payload=null", "form"),
    "json that is not json": ("{not json", "json"),
    "json that is a list": ("[]", "json"),
}
CONTENT_TYPES = {"form": "application/x-www-form-urlencoded", "json": "application/json"}


@pytest.mark.parametrize("body, kind", MALFORMED.values(), ids=list(MALFORMED))
async def test_a_body_bolt_cannot_parse_is_401_unsigned_and_400_signed_never_500(
    driver: SlackDriver, slack: SlackApiSimulator, body: str, kind: str
) -> None:
    calls_before = len(slack.calls)
    for forging in FORGERIES.values():
        status, _ = await driver.post(body, CONTENT_TYPES[kind], **forging())
        assert status == 401
    status, text = await driver.post(body, CONTENT_TYPES[kind])
    assert status == 400 and "malformed" in text
    assert len(slack.calls) == calls_before
