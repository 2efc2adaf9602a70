"""The whole product on Teams without Graph permissions, driven as Teams drives it:
people join the program's team, a lead runs a round from the chat, introductions arrive
as one card each with a link to a group chat, check-in clicks are recorded and redrawn,
members pause, resume and leave — and bad input gets a friendly answer and changes
nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import aiohttp

from bot.builders import checkin as checkin_buttons
from bot.core import Core
from bot.services.checkins import CHECKIN_KINDS, queue_checkins
from bot.teams.simulator.driver import TeamsDriver
from bot.teams.simulator.microsoft import MicrosoftSimulator
from bot.teams.simulator.tenant import Posted
from tests.e2e.slack_helpers import wait_until
from tests.e2e.teams_helpers import (
    LEAD,
    TEAM,
    TENANT,
    aad,
    coffee,
    join_everyone,
    microsoft,
    running,
    tenant,
)

__all__ = ["microsoft"]
PEOPLE = [aad(i) for i in range(6)]


def _with_key(driver: TeamsDriver, user: str, suffix: str) -> list[Posted]:
    return [m for m in driver.inbox(user) if (m.key or "").endswith(suffix)]


async def _finish_round(core: Core) -> None:
    """Deliver the latest round to the end (as `mentorbot round run` would)."""
    workspace = await core.workspace(TENANT)
    async with core.uow(workspace.id, read_only=True) as uow:
        program = await uow.programs.by_name("coffee")
        assert program is not None
        latest = await uow.rounds.latest(program.id)
    assert latest is not None
    report = await core.deliveries.deliver_round(workspace, latest.id)
    assert report.delivered, report


async def test_a_round_on_teams_without_graph_from_joining_to_checking_in(
    microsoft: MicrosoftSimulator, database_url: str
) -> None:
    world = tenant(6)
    async with running(
        microsoft, database_url, [world], teams_tenant_id=TENANT, programs=[coffee()], admins=[LEAD]
    ) as (core, driver):
        assert (await driver.install(LEAD)).status == 200
        assert any("pairs people" in " ".join(m.texts()) for m in driver.inbox(LEAD))
        await join_everyone(driver, PEOPLE)
        # The welcome goes through the outbox, woken by the join: it follows at once.
        welcome = await wait_until(lambda: driver.inbox(aad(3)) and driver.last(aad(3)), wait=10)
        assert "Welcome to **coffee**" in welcome.texts()[0]

        await driver.say(LEAD, "round coffee")
        assert "Round 1 of coffee formed" in " ".join(driver.last(LEAD).texts())
        await _finish_round(core)
        intro = _with_key(driver, aad(1), ":intro")[0]
        text = " ".join(intro.texts())
        assert "Meet your coffee match" in text and "Person 1" in text
        link = next(a["url"] for a in _actions(intro.card) if a.get("type") == "Action.OpenUrl")
        users = parse_qs(urlsplit(link).query)["users"][0].split(",")
        assert "person1@acme.test" in users and 2 <= len(users) <= 3
        # Every member has exactly one introduction, and the group chats were not faked.
        assert all(len(_with_key(driver, p, ":intro")) == 1 for p in PEOPLE)
        assert world.group_chats() == []
        announcement = world.conversations[TEAM].from_bot()
        assert len(announcement) == 1 and "Round 1" in announcement[0].texts()[0]

        scope = await core.scope_for(await core.workspace(TENANT), paced=True)
        queued = await queue_checkins(scope, "coffee")
        report = await core.deliveries.deliver_round(
            scope.workspace, queued.round.id, kinds=CHECKIN_KINDS
        )
        assert report.delivered
        card = _with_key(driver, aad(1), ":checkin")[0]
        answer = await driver.click(aad(1), card, checkin_buttons.MET)
        assert answer.status == 200 and answer.card is not None
        assert any("met ✅" in t for t in answer.texts())
        assert card.updates == 1  # redrawn in place, for whoever looks at it again
        async with scope.unit(read_only=True) as uow:
            stored = await uow.rounds.get(queued.round.id)
        assert stored is not None
        group = next(g for g in stored.groups if aad(1) in g.user_ids)
        assert group.outcome == "met"


async def test_members_pause_resume_and_leave_and_bad_input_changes_nothing(
    microsoft: MicrosoftSimulator, database_url: str
) -> None:
    world = tenant(4)
    async with running(
        microsoft, database_url, [world], teams_tenant_id=TENANT, programs=[coffee()], admins=[LEAD]
    ) as (core, driver):
        await join_everyone(driver, [aad(i) for i in range(4)])
        member = aad(2)

        await driver.say(member, "pause 2")
        assert "Paused **coffee** until" in driver.last(member).texts()[0]
        homes = [m for m in driver.inbox(member) if (m.card or {}).get("refresh")]
        assert len(homes) == 1 and "paused" in " ".join(homes[0].texts())
        await driver.say(member, "resume")
        assert "Welcome back" in driver.last(member).texts()[0]
        assert homes[0].updates == 1  # the same home card, redrawn in place
        assert len([m for m in driver.inbox(member) if (m.card or {}).get("refresh")]) == 1

        for typed, expected in [
            ("pause banana", "is not a number of weeks"),
            ("round", "Which program?"),
            ("stats coffee", "program leads"),
            ("tell me a joke", "I don't know “tell”"),
        ]:
            reply = await driver.say(member, typed)
            assert reply.status == 200
            assert expected in " ".join(driver.last(member).texts()), typed

        await driver.say(member, "leave")
        question = driver.last(member)
        assert "Leave **coffee**?" in question.texts()[0]
        leave = {"action_id": "mentor_leave_confirm", "value": "999999"}  # not their program
        forged = await driver.invoke(
            member, question, {"type": "Action.Execute", "verb": leave["action_id"], "data": leave}
        )
        assert forged.status == 200 and forged.message and "not signed up" in forged.message
        unknown = await driver.invoke(
            member, question, {"type": "Action.Execute", "verb": "launch", "data": {}}
        )
        assert unknown.message and "doesn't belong" in unknown.message
        async with core.uow(question_workspace := (await core.workspace(TENANT)).id) as uow:
            person = await uow.people.by_user_id(member)
            assert person is not None
            assert await uow.enrollments.for_person(person.id)  # still enrolled

        left = await driver.click(member, question, "mentor_leave_confirm")
        assert any("You've left **coffee**" in t for t in left.texts())
        assert question.updates == 1
        async with core.uow(question_workspace) as uow:
            person = await uow.people.by_user_id(member)
        assert person is None or person.display_name == "Former member"

        gone = aad(3)
        assert (await driver.leave_team(gone, TEAM)).status == 200
        await driver.say(gone, "profile")
        assert "paused" in " ".join(driver.last(gone).texts()).lower()


async def test_leads_get_history_stats_and_a_dashboard_link_that_opens_the_dashboard(
    microsoft: MicrosoftSimulator, database_url: str
) -> None:
    world = tenant(4)
    async with running(
        microsoft, database_url, [world], teams_tenant_id=TENANT, programs=[coffee()], admins=[LEAD]
    ) as (core, driver):
        await join_everyone(driver, [aad(i) for i in range(4)])
        await driver.say(LEAD, "round coffee")
        await _finish_round(core)
        await driver.say(LEAD, "history coffee")
        assert "History of coffee" in driver.last(LEAD).texts()[0]
        await driver.say(LEAD, "stats coffee")
        assert "coffee in numbers" in driver.last(LEAD).texts()[0]
        await driver.say(LEAD, "dashboard")
        path = next(t for t in driver.last(LEAD).texts() if "/dashboard/login?token=" in t)
        path = path.strip("*")
        base = driver.url.removesuffix("/api/messages")
        jar = aiohttp.CookieJar(unsafe=True)  # a browser keeping the session cookie
        async with (
            aiohttp.ClientSession(cookie_jar=jar) as session,
            session.get(base + path) as page,
        ):
            body = await page.text()
        assert page.status == 200 and "coffee" in body


def _actions(node: object) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    if isinstance(node, dict):
        if str(node.get("type", "")).startswith("Action."):
            found.append(node)
        for value in node.values():
            found.extend(_actions(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_actions(item))
    return found
