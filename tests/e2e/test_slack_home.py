"""The App Home tab: what a member and a lead see, and its buttons."""

from __future__ import annotations

from typing import Any

import pytest

from bot.builders import actions
from bot.core import Core
from bot.slack.simulator.driver import SlackDriver
from bot.slack.simulator.slack_api import SlackApiSimulator
from storage.records import ProgramRecord
from tests.e2e.slack_helpers import (
    add_program,
    block_texts,
    button,
    enrollments,
    sign_up,
    store_round,
)


@pytest.fixture
async def coffee(driver: SlackDriver, container: Core) -> ProgramRecord:
    program = await add_program(container, "coffee", schedule="every monday at 09:00")
    for user_id in ("U0ALAN", "U0KATH", "U0GRACE"):
        reply = await sign_up(driver, user_id, {"program": str(program.id), "team": user_id})
        assert not reply.body
    return program


async def _home(driver: SlackDriver, user_id: str) -> dict[str, Any]:
    reply = await driver.open_home(user_id, wait=3.0)
    assert reply.status == 200
    home = driver.simulator.workspace.homes.get(user_id)
    assert home is not None, "the app published no home tab"
    return home


async def _click_on_home(
    driver: SlackDriver, user_id: str, home: dict[str, Any], action_id: str
) -> dict[str, Any]:
    found = button(home["blocks"], action_id)
    await driver.click(user_id, action_id, found.get("value", ""), view=home, wait=0)
    fresh = await driver.home_published(user_id, since=home, wait=3.0)
    assert fresh is not None, "the home tab was not published again"
    return fresh


async def test_someone_in_no_program_is_invited_to_sign_up(
    driver: SlackDriver, container: Core
) -> None:
    await add_program(container, "coffee")
    home = await _home(driver, "U0ALAN")
    assert home["type"] == "home"
    text = block_texts(home["blocks"])
    assert "not in any program yet" in text and "coffee" in text
    assert button(home["blocks"], actions.OPEN_SIGNUP)
    assert "Program dashboard" not in text  # Alan is not a lead


async def test_a_member_sees_their_program_match_and_buttons(
    driver: SlackDriver, coffee: ProgramRecord, container: Core
) -> None:
    await store_round(container, coffee, [["U0ALAN", "U0KATH"]], left_out=("U0GRACE",))
    home = await _home(driver, "U0ALAN")
    text = block_texts(home["blocks"])
    assert "*coffee* — taking part" in text
    assert "Current match: Katherine Johnson" in text
    for action_id in (actions.OPEN_SIGNUP, actions.PAUSE, actions.LEAVE_CONFIRM):
        assert button(home["blocks"], action_id)["value"] == str(coffee.id)
    assert "confirm" in button(home["blocks"], actions.LEAVE_CONFIRM)


async def test_pause_and_resume_from_home_update_the_tab(
    driver: SlackDriver, coffee: ProgramRecord, container: Core
) -> None:
    home = await _home(driver, "U0ALAN")
    paused = await _click_on_home(driver, "U0ALAN", home, actions.PAUSE)
    text = block_texts(paused["blocks"])
    assert "Paused *coffee*" in text and "paused until you resume" in text
    [enrolled] = await enrollments(container, "U0ALAN")
    assert enrolled.paused
    resumed = await _click_on_home(driver, "U0ALAN", paused, actions.RESUME)
    assert "Welcome back" in block_texts(resumed["blocks"])
    [enrolled] = await enrollments(container, "U0ALAN")
    assert not enrolled.paused


async def test_leave_from_home_takes_the_person_out(
    driver: SlackDriver, coffee: ProgramRecord, container: Core
) -> None:
    home = await _home(driver, "U0KATH")
    after = await _click_on_home(driver, "U0KATH", home, actions.LEAVE_CONFIRM)
    assert "You've left *coffee*" in block_texts(after["blocks"])
    assert await enrollments(container, "U0KATH") == []


async def test_edit_from_home_opens_the_filled_in_form_and_saving_updates_home(
    driver: SlackDriver, coffee: ProgramRecord, container: Core, slack: SlackApiSimulator
) -> None:
    home = await _home(driver, "U0ALAN")
    edit = button(home["blocks"], actions.OPEN_SIGNUP)
    clicked = await driver.click("U0ALAN", edit["action_id"], edit["value"], view=home, wait=3.0)
    view = driver.opened_view(clicked)
    assert view["title"]["text"] == "Edit your answers"
    reply = await driver.submit("U0ALAN", view, {"interests": "sailing"})
    assert not reply.body
    fresh = await driver.home_published("U0ALAN", since=home, wait=3.0)
    assert fresh is not None and "Saved your answers" in block_texts(fresh["blocks"])
    [enrolled] = await enrollments(container, "U0ALAN")
    assert enrolled.interests == ("sailing",)


async def test_a_lead_also_sees_next_round_participation_and_meeting_rate(
    driver: SlackDriver, coffee: ProgramRecord, container: Core
) -> None:
    await store_round(container, coffee, [["U0ALAN", "U0KATH"]], outcomes=("met",))
    home = await _home(driver, "U0ADA")  # a workspace admin
    text = block_texts(home["blocks"])
    assert "Program dashboard" in text
    assert "Next round: Mon 30 Nov, 08:00" in text  # 09:00 Berlin, shown in London time
    assert "Enrolled: 3" in text and "Participation: 67%" in text
    assert "round 1: meeting rate 100%" in text
    assert button(home["blocks"], actions.NEW_PROGRAM)
    assert button(home["blocks"], actions.EDIT_PROGRAM)["value"] == str(coffee.id)


async def test_nobody_slack_forgot_gets_a_home_and_nothing_breaks(
    driver: SlackDriver, slack: SlackApiSimulator
) -> None:
    reply = await driver.open_home("U0GHOST", wait=0.5)
    assert reply.status == 200
    assert "U0GHOST" not in slack.workspace.homes
