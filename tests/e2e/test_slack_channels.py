"""Programs people join by joining their channel (a per-program setting)."""

from __future__ import annotations

from bot.builders import actions
from bot.core import Core
from bot.slack.simulator.driver import SlackDriver
from bot.slack.simulator.slack_api import SlackApiSimulator
from pairing.models import Role
from tests.e2e.slack_helpers import add_program, button, enrollments, wait_until


def _joined(user_id: str, channel: str) -> dict[str, str]:
    return {
        "type": "member_joined_channel",
        "user": user_id,
        "channel": channel,
        "channel_type": "C",
        "team": "T0001",
    }


def _left(user_id: str, channel: str) -> dict[str, str]:
    return {
        "type": "member_left_channel",
        "user": user_id,
        "channel": channel,
        "channel_type": "C",
        "team": "T0001",
    }


async def test_joining_the_channel_enrolls_and_welcomes_with_a_profile_button(
    driver: SlackDriver, container: Core, slack: SlackApiSimulator
) -> None:
    coffee = await add_program(container, "coffee", channel_id="C0COFFEE", join_via_channel=True)
    reply = await driver.event(_joined("U0ALAN", "C0COFFEE"))
    assert reply.status == 200
    [enrolled] = await wait_until(lambda: enrollments(container, "U0ALAN"))
    assert enrolled.program_id == coffee.id and enrolled.role is Role.PEER
    dm = await wait_until(lambda: slack.workspace.conversation_of({"U0ALAN"}))
    [welcome] = await wait_until(lambda: slack.workspace.messages_in(dm))
    assert "Welcome to *coffee*" in welcome.text
    complete = button(welcome.blocks, actions.OPEN_SIGNUP)
    clicked = await driver.click(
        "U0ALAN", complete["action_id"], complete["value"], channel_id=dm, message_ts=welcome.ts
    )
    view = driver.opened_view(clicked)
    program = next(b for b in view["blocks"] if b.get("block_id") == "program")
    assert program["element"]["initial_option"]["value"] == str(coffee.id)


async def test_leaving_the_channel_pauses_and_coming_back_resumes(
    driver: SlackDriver, container: Core
) -> None:
    await add_program(container, "coffee", channel_id="C0COFFEE", join_via_channel=True)
    await driver.event(_joined("U0KATH", "C0COFFEE"))
    await wait_until(lambda: enrollments(container, "U0KATH"))
    await driver.event(_left("U0KATH", "C0COFFEE"))

    async def paused() -> bool:
        return bool((await enrollments(container, "U0KATH"))[0].paused)

    assert await wait_until(paused)
    await driver.event(_joined("U0KATH", "C0COFFEE"))

    async def resumed() -> bool:
        return not (await enrollments(container, "U0KATH"))[0].paused

    assert await wait_until(resumed)
    assert len(await enrollments(container, "U0KATH", include_left=True)) == 1


async def test_a_program_without_the_setting_ignores_its_channel(
    driver: SlackDriver, container: Core, slack: SlackApiSimulator
) -> None:
    await add_program(container, "coffee", channel_id="C0COFFEE", join_via_channel=False)
    assert (await driver.event(_joined("U0ALAN", "C0COFFEE"))).status == 200
    await driver.event(_joined("U0MENTORBOT", "C0COFFEE"))  # the bot itself
    assert not await wait_until(lambda: enrollments(container, "U0ALAN"), wait=0.5)
    assert slack.calls_to("chat.postMessage") == []
