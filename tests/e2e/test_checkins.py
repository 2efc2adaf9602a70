"""Check-ins end to end: the real web app, the simulated Slack, clicks signed as Slack
signs them. A click records the answer, redraws the message in place, and is idempotent."""

from __future__ import annotations

import time
from typing import Any

from bot.builders import checkin as build
from bot.core import Core
from bot.services.checkins import queue_checkins
from bot.services.reports import program_history
from bot.services.rounds import form_round
from bot.slack.simulator.driver import SlackDriver
from bot.slack.simulator.slack_api import SlackApiSimulator
from bot.slack.simulator.workspace import SimulatedUser
from storage.records import WorkspaceRecord
from tests.conftest import NOW
from tests.e2e.conftest import PEOPLE
from tests.e2e.slack_helpers import wait_until
from tests.fakes import community
from tests.fakes.clock import FakeClock
from tests.fakes.virtual_time import VirtualTime


async def _round(container: Core, clock: FakeClock) -> tuple[WorkspaceRecord, Any]:
    workspace = await container.workspace()
    time = VirtualTime(clock)  # delivery's pacers wait on the test's clock
    container.deliveries.sleep, container.deliveries.monotonic = time.sleep, time.monotonic
    users = [SimulatedUser(u, n, r, title=t, tz=z) for u, (n, r, t, z, _) in PEOPLE.items()]
    await community.enroll(container.uow, workspace.id, users, now=NOW, channel_id="C0COFFEE")
    service = container.deliveries
    formed = await form_round(await container.scope_for(workspace, paced=True), "coffee")
    assert (await service.deliver_round(workspace, formed.round.id)).delivered
    return workspace, formed


async def _checkins(container: Core, workspace: WorkspaceRecord, clock: FakeClock):
    clock.advance(days=3)
    queued = await queue_checkins(await container.scope_for(workspace, paced=True), "coffee")
    report = await container.deliveries.deliver_round(
        workspace, queued.round.id, kinds=frozenset({"checkin", "pause_question"})
    )
    assert report.delivered
    return queued


def _checkin_message(slack: SlackApiSimulator, conversation: str):
    (message,) = [
        m
        for m in slack.workspace.messages_in(conversation)
        if (m.metadata or {}).get("event_payload", {}).get("key", "").endswith(":checkin")
    ]
    return message


async def test_a_met_click_records_the_outcome_and_redraws_the_message_once(
    container: Core, clock: FakeClock, driver: SlackDriver, slack: SlackApiSimulator
) -> None:
    workspace, formed = await _round(container, clock)
    queued = await _checkins(container, workspace, clock)
    assert queued.checkins == len(formed.round.groups) == 2
    group = formed.round.groups[0]
    conversation = slack.workspace.conversation_of(set(group.user_ids))
    message = _checkin_message(slack, conversation)
    who = group.user_ids[0]

    reply = await driver.click(
        who, build.MET, str(group.id), channel_id=conversation, message_ts=message.ts
    )
    assert reply.status == 200
    # Stored before the acknowledgement; the redraw follows it.
    updated = await wait_until(
        lambda: (
            _checkin_message(slack, conversation).updates and _checkin_message(slack, conversation)
        )
    )
    assert updated.updates == 1 and "met ✅" in str(updated.blocks)
    history = (await program_history(await container.scope_for(workspace), "coffee")).to_json()
    outcomes = {tuple(g["members"]): g["outcome"] for g in history["rounds"][0]["groups"]}
    assert outcomes[group.user_ids] == "met"

    again = await driver.click(
        who, build.MET, str(group.id), channel_id=conversation, message_ts=message.ts
    )
    assert again.status == 200
    history_again = (
        await program_history(await container.scope_for(workspace), "coffee")
    ).to_json()
    assert history_again == history
    assert _checkin_message(slack, conversation).blocks == updated.blocks


async def test_couldnt_make_it_marks_the_group_not_met_and_strangers_are_refused(
    container: Core, clock: FakeClock, driver: SlackDriver, slack: SlackApiSimulator
) -> None:
    workspace, formed = await _round(container, clock)
    await _checkins(container, workspace, clock)
    mine, other = formed.round.groups
    conversation = slack.workspace.conversation_of(set(mine.user_ids))
    message = _checkin_message(slack, conversation)
    stranger = other.user_ids[0]
    refused = await driver.click(
        stranger, build.MET, str(mine.id), channel_id=conversation, message_ts=message.ts
    )
    assert "for the people in this match" in refused.text
    await driver.click(
        mine.user_ids[1],
        build.COULD_NOT,
        str(mine.id),
        channel_id=conversation,
        message_ts=message.ts,
    )
    history = (await program_history(await container.scope_for(workspace), "coffee")).to_json()
    outcomes = {tuple(g["members"]): g["outcome"] for g in history["rounds"][0]["groups"]}
    assert outcomes == {mine.user_ids: "not_met", other.user_ids: None}


async def test_checkins_go_out_once_however_often_they_are_run(
    container: Core, clock: FakeClock, slack: SlackApiSimulator
) -> None:
    workspace, formed = await _round(container, clock)
    await _checkins(container, workspace, clock)
    again = await queue_checkins(await container.scope_for(workspace, paced=True), "coffee")
    assert not again.created
    for group in formed.round.groups:
        _checkin_message(slack, slack.workspace.conversation_of(set(group.user_ids)))


async def test_three_ignored_checkins_in_a_row_bring_a_question_to_pause(
    container: Core, clock: FakeClock, driver: SlackDriver, slack: SlackApiSimulator
) -> None:
    workspace, _ = await _round(container, clock)
    await _checkins(container, workspace, clock)
    service = container.deliveries
    asked = None
    for _ in range(3):  # each next check-in counts the previous one as ignored
        clock.advance(days=4)
        formed = await form_round(await container.scope_for(workspace, paced=True), "coffee")
        await service.deliver_round(workspace, formed.round.id)
        asked = await _checkins(container, workspace, clock)
    assert asked is not None and asked.pause_questions == len(PEOPLE)
    ada_dm = slack.workspace.conversation_of({"U0ADA"})
    (question,) = [
        m
        for m in slack.workspace.messages_in(ada_dm)
        if "pause" in m.text.lower() or "Still up" in m.text
    ]
    value = question.blocks[1]["elements"][0]["value"]
    reply = await driver.click(
        "U0ADA", build.PAUSE, value, channel_id=ada_dm, message_ts=question.ts
    )
    assert reply.status == 200
    async with container.uow(workspace.id) as uow:
        program = await uow.programs.by_name("coffee")
        available = await uow.enrollments.available(program.id, now=clock())
    assert "U0ADA" not in {e.person.user_id for e in available}
    assert "Paused" in slack.workspace.messages_in(ada_dm)[-1].text


async def test_a_click_is_acknowledged_once_stored_not_after_a_slow_redraw(
    container: Core, clock: FakeClock, driver: SlackDriver, slack: SlackApiSimulator
) -> None:
    """Issue 13: under a burst, chat.update waits its turn at Slack's limits; the
    acknowledgement waited with it and came after Slack's 3 seconds."""
    workspace, formed = await _round(container, clock)
    await _checkins(container, workspace, clock)
    group = formed.round.groups[0]
    conversation = slack.workspace.conversation_of(set(group.user_ids))
    message = _checkin_message(slack, conversation)
    slack.fail("chat.update", delay=2.5)  # the redraw lands, its answer comes late

    started = time.monotonic()
    reply = await driver.click(
        group.user_ids[0], build.MET, str(group.id), channel_id=conversation, message_ts=message.ts
    )
    acknowledged = time.monotonic() - started
    assert reply.status == 200 and acknowledged < 1.5, acknowledged
    history = (await program_history(await container.scope_for(workspace), "coffee")).to_json()
    assert history["rounds"][0]["groups"][0]["outcome"] == "met"  # stored before the ack
    redrawn = await wait_until(lambda: _checkin_message(slack, conversation).updates, wait=10)
    assert redrawn == 1
