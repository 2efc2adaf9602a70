""" "What came of it?" after "We met", end to end on the simulated Slack and Teams: one
optional answer per person per group, kept however often it is clicked, shown back only
as a count."""

from __future__ import annotations

from bot.builders import checkin as build
from bot.core import Core
from bot.services.checkins import CHECKIN_KINDS, queue_checkins
from bot.services.rounds import form_round
from bot.slack.simulator.driver import SlackDriver
from bot.slack.simulator.slack_api import SlackApiSimulator
from bot.teams.simulator.microsoft import MicrosoftSimulator
from tests.conftest import NOW
from tests.e2e.teams_helpers import TENANT, aad, coffee, join_everyone, microsoft, running, tenant
from tests.e2e.test_checkins import _checkin_message, _checkins, _round
from tests.fakes.clock import FakeClock

__all__ = ["microsoft"]


async def _answers(container: Core, workspace, program: str = "coffee"):  # type: ignore[no-untyped-def]
    async with container.uow(workspace.id, read_only=True) as uow:
        record = await uow.programs.by_name(program)
        assert record is not None
        found = [(a.came_of, a.rating) for a in await uow.feedback.for_program(record.id)]
        return sorted(found, key=str)


async def test_on_slack_the_follow_up_appears_after_we_met_and_keeps_one_answer_each(
    container: Core, clock: FakeClock, driver: SlackDriver, slack: SlackApiSimulator
) -> None:
    workspace, formed = await _round(container, clock)
    await _checkins(container, workspace, clock)
    group, other = formed.round.groups
    first, second = group.user_ids[:2]
    conversation = slack.workspace.conversation_of(set(group.user_ids))
    message = _checkin_message(slack, conversation)
    assert "What came of it" not in str(message.blocks)

    async def click(who: str, action: str) -> str:
        reply = await driver.click(
            who, action, str(group.id), channel_id=conversation, message_ts=message.ts
        )
        assert reply.status == 200
        return reply.text

    refused = await click(first, "came_of_career")  # before anyone said they met
    assert "Tell me first that you met" in refused
    await click(first, build.MET)
    redrawn = _checkin_message(slack, conversation)
    assert "What came of it" in str(redrawn.blocks) and "at least 5" in str(redrawn.blocks)
    await click(first, "came_of_career")
    await click(first, "came_of_career")  # a double click
    await click(first, "worth_it_4")
    await click(second, "came_of_friend")
    await click(second, "came_of_idea")  # changed their mind
    stranger = await click(other.user_ids[0], "came_of_learned")
    assert "for the people in this match" in stranger
    assert await _answers(container, workspace) == [("career", 4), ("idea", None)]
    shown = str(_checkin_message(slack, conversation).blocks)
    assert "2 people have answered" in shown
    for name in (first, second):  # the answers are never put next to anyone
        assert f"{name}: career" not in shown and f"{name}: idea" not in shown


async def test_on_teams_the_follow_up_is_answered_in_place_once_per_person(
    microsoft: MicrosoftSimulator, database_url: str
) -> None:
    clock = FakeClock(NOW)
    async with running(
        microsoft,
        database_url,
        [tenant(2)],
        clock=clock,
        teams_tenant_id=TENANT,
        programs=[coffee()],
    ) as (core, driver):
        await join_everyone(driver, [aad(0), aad(1)])
        scope = await core.scope_for(await core.workspace(TENANT), paced=True)
        formed = await form_round(scope, "coffee", seed=1)
        assert (await core.deliveries.deliver_round(scope.workspace, formed.round.id)).delivered
        clock.advance(days=3)
        queued = await queue_checkins(scope, "coffee")
        done = await core.deliveries.deliver_round(
            scope.workspace, queued.round.id, kinds=CHECKIN_KINDS
        )
        assert done.delivered
        (checkin,) = [m for m in driver.inbox(aad(0)) if (m.key or "").endswith(":checkin")]
        met = await driver.click(aad(0), checkin, build.MET)
        assert met.card is not None and "What came of it" in " ".join(met.texts())
        learned = await driver.click(aad(0), checkin, "came_of_learned", seen=met.card)
        again = await driver.click(aad(0), checkin, "came_of_learned", seen=learned.card)
        assert again.card is not None
        assert "1 person has answered" in " ".join(again.texts())
        await driver.click(aad(1), checkin, "worth_it_5", seen=again.card)
        assert await _answers(core, scope.workspace) == [("learned", None), (None, 5)]
