"""The simulator refuses what Slack refuses, so a test cannot pass on a payload Slack
would reject."""

from __future__ import annotations

import aiohttp
import pytest

from bot.slack.simulator.slack_api import SlackApiSimulator
from bot.slack.simulator.view_rules import view_problem


def modal(*elements: dict, title: str = "Join") -> dict:
    blocks = [
        {
            "type": "input",
            "block_id": f"b{i}",
            "label": {"type": "plain_text", "text": "L"},
            "element": {"action_id": f"a{i}", **element},
        }
        for i, element in enumerate(elements)
    ]
    return {"type": "modal", "title": {"type": "plain_text", "text": title}, "blocks": blocks}


def option(text: str, value: str = "v") -> dict:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


SELECT = {"type": "static_select", "options": [option("a", "1"), option("b", "2")]}


@pytest.mark.parametrize(
    "view",
    [
        modal(SELECT, title="x" * 25),
        modal({**SELECT, "options": [option("x" * 76)]}),
        modal({**SELECT, "options": [option("a", "v" * 151)]}),
        modal({**SELECT, "initial_option": option("c", "3")}),
        modal({"type": "radio_buttons", "options": [option(str(i), str(i)) for i in range(11)]}),
        modal({"type": "plain_text_input", "max_length": 5, "initial_value": "too long"}),
        modal({"type": "timepicker", "initial_time": "9:00"}),
        modal({"type": "number_input", "initial_value": "2"}),
        {**modal(SELECT), "blocks": modal(SELECT)["blocks"] * 2},  # a repeated block_id
    ],
)
def test_a_modal_slack_would_refuse_is_refused(view: dict) -> None:
    assert view_problem(view) is not None


def test_a_proper_modal_passes() -> None:
    view = modal(
        {**SELECT, "initial_option": option("b", "2")},
        {"type": "plain_text_input", "max_length": 20, "initial_value": "fine"},
        {"type": "timepicker", "initial_time": "09:00"},
        {"type": "number_input", "is_decimal_allowed": False, "initial_value": "2"},
    )
    assert view_problem(view) is None


async def test_a_response_url_refuses_a_message_slack_could_not_show() -> None:
    with SlackApiSimulator() as slack:
        url = f"{slack.base_url}/response/k1"
        async with aiohttp.ClientSession() as session:
            async with session.post(url, json={"text": "", "blocks": []}) as empty:
                assert (empty.status, await empty.text()) == (400, "no_text")
            header = {"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}
            async with session.post(url, json={"text": "t", "blocks": [header]}) as bad:
                assert bad.status == 400
            async with session.post(url, json={"text": "fine"}) as good:
                assert good.status == 200
        assert slack.workspace.responses["k1"] == [{"text": "fine"}]
