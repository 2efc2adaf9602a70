"""Cards people click on Teams: the home card (installed with the app, refreshed when
shown, its buttons answered in place), the question to pause after three unanswered
check-ins, a command typed with an @mention in a channel, people who blocked the bot,
and Graph refusing a group chat."""

from __future__ import annotations

from bot.builders import checkin as checkin_buttons
from bot.core import Core
from bot.services.checkins import CHECKIN_KINDS, queue_checkins
from bot.services.rounds import form_round
from bot.teams.simulator.microsoft import MicrosoftSimulator
from tests.conftest import NOW
from tests.e2e.teams_helpers import (
    TEAM,
    TENANT,
    aad,
    coffee,
    join_everyone,
    microsoft,
    running,
    tenant,
)
from tests.fakes.clock import FakeClock

__all__ = ["microsoft"]


def _homes(driver, user):  # type: ignore[no-untyped-def]
    return [m for m in driver.inbox(user) if (m.card or {}).get("refresh")]


async def test_the_home_card_arrives_with_the_app_refreshes_and_answers_in_place(
    microsoft: MicrosoftSimulator, database_url: str
) -> None:
    async with running(
        microsoft, database_url, [tenant(3)], teams_tenant_id=TENANT, programs=[coffee()]
    ) as (_core, driver):
        member = aad(1)
        await driver.install(member)
        (home,) = _homes(driver, member)
        assert "not in any program yet" in " ".join(home.texts())
        await join_everyone(driver, [member, aad(2)])

        shown = await driver.click(member, home, "mentorbot.home")  # Teams refreshing it
        assert shown.card is not None and "coffee" in " ".join(shown.texts())
        assert shown.card["refresh"]["userIds"] == [microsoft.tenant().users[member].bot_id]

        refreshed = await driver.click(member, home, "mentorbot.home")
        paused = await driver.click(member, home, "mentor_pause", seen=refreshed.card)
        text = " ".join(paused.texts())
        assert "Paused **coffee**" in text and "paused" in text.lower()
        assert len(_homes(driver, member)) == 1 and home.updates >= 1  # redrawn in place
        await driver.say(member, "profile")
        assert "paused" in " ".join(driver.last(member).texts()).lower()


async def test_three_unanswered_check_ins_ask_whether_to_pause_and_the_answer_is_kept(
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
        for number in range(4):
            formed = await form_round(scope, "coffee", seed=number)
            assert (await core.deliveries.deliver_round(scope.workspace, formed.round.id)).delivered
            clock.advance(days=3)
            queued = await queue_checkins(scope, "coffee")
            done = await core.deliveries.deliver_round(
                scope.workspace, queued.round.id, kinds=CHECKIN_KINDS
            )
            assert done.delivered
            clock.advance(days=4)
        questions = [m for m in driver.inbox(aad(1)) if ":pause:" in (m.key or "")]
        assert len(questions) == 1 and "haven't answered the last 3" in questions[0].texts()[0]
        answer = await driver.click(aad(1), questions[0], checkin_buttons.PAUSE)
        assert answer.card is not None and questions[0].updates == 1
        await driver.say(aad(1), "profile")
        assert "paused" in " ".join(driver.last(aad(1)).texts()).lower()


async def test_a_command_in_a_channel_is_answered_privately(
    microsoft: MicrosoftSimulator, database_url: str
) -> None:
    world = tenant(2)
    async with running(microsoft, database_url, [world], teams_tenant_id=TENANT) as (_c, driver):
        assert (await driver.say_in_channel(aad(1), TEAM, "pause banana")).status == 200
        assert "is not a number of weeks" in driver.last(aad(1)).texts()[0]
        (note,) = world.conversations[TEAM].from_bot()
        assert "personal chat" in note.texts()[0]


async def test_people_who_blocked_the_bot_are_recorded_as_unreachable_and_others_served(
    microsoft: MicrosoftSimulator, database_url: str
) -> None:
    world = tenant(5)
    clock = FakeClock(NOW)
    async with running(
        microsoft, database_url, [world], clock=clock, teams_tenant_id=TENANT, programs=[coffee()]
    ) as (core, driver):
        await join_everyone(driver, [aad(i) for i in range(5)])
        blocked = aad(4)
        world.users[blocked].blocked_bot = True
        report = await _round(core, seed=2)
        assert report.delivered, report  # their group's card still reached the others
        assert not any((m.key or "").endswith(":intro") for m in driver.inbox(blocked))
        for person in map(aad, range(4)):
            assert any((m.key or "").endswith(":intro") for m in driver.inbox(person))
        for person in map(aad, range(4)):
            world.users[person].blocked_bot = True  # now nobody can be reached
        clock.advance(days=7)
        report = await _round(core, seed=3)
        assert report.complete and not report.delivered, report
        assert all("blocked or removed the bot" in (f.error or "") for f in report.failed)


async def test_graph_refusing_a_group_chat_falls_back_to_one_card_each(
    microsoft: MicrosoftSimulator, database_url: str
) -> None:
    world = tenant(4)
    async with running(
        microsoft, database_url, [world], graph=True, teams_tenant_id=TENANT, programs=[coffee()]
    ) as (core, driver):
        await join_everyone(driver, [aad(i) for i in range(4)])
        microsoft.fail("graph.chats.create", status=403, retry_after=None, times=None)
        report = await _round(core, seed=4)
        assert report.delivered, report
        assert world.group_chats() == []
        for person in map(aad, range(4)):
            assert sum((m.key or "").endswith(":intro") for m in driver.inbox(person)) == 1


async def _round(core: Core, *, seed: int):  # type: ignore[no-untyped-def]
    workspace = await core.workspace(TENANT)
    formed = await form_round(await core.scope_for(workspace, paced=True), "coffee", seed=seed)
    return await core.deliveries.deliver_round(workspace, formed.round.id)
