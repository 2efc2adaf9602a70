"""The signup and program forms as Teams dialogs: the same fields as on Slack, the same
validation messages on the field at fault (with what was typed kept), answers handed
to the same use cases — and a person who is not a lead, or a forged submission, gets a
polite no and changes nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from bot.builders import actions
from bot.core import Core
from bot.teams.simulator.driver import Reply, TeamsDriver
from bot.teams.simulator.microsoft import MicrosoftSimulator
from tests.e2e.teams_helpers import LEAD, TEAM, TENANT, aad, microsoft, running, tenant

__all__ = ["microsoft"]


def _inputs(card: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Input."):
                found[str(node["id"])] = node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return found


def _errors(card: dict[str, Any] | None) -> list[str]:
    return [str(b["text"]) for b in (card or {}).get("body", []) if b.get("color") == "Attention"]


async def _open(driver: TeamsDriver, user: str, typed: str, button: str) -> tuple[Any, Reply]:
    await driver.say(user, typed)
    card = driver.last(user)
    return card, await driver.open_form(user, card, button)


async def _program(core: Core, name: str) -> Any:
    workspace = await core.workspace(TENANT)
    async with core.uow(workspace.id, read_only=True) as uow:
        return await uow.programs.by_name(name)


async def test_a_lead_creates_a_program_in_a_dialog_and_mistakes_stay_on_their_field(
    microsoft: MicrosoftSimulator, database_url: str
) -> None:
    async with running(
        microsoft, database_url, [tenant(3)], teams_tenant_id=TENANT, admins=[LEAD]
    ) as (core, driver):
        await driver.join_team(aad(1), TEAM)  # mentorbot learns the team's channels
        card, opened = await _open(driver, LEAD, "program", actions.NEW_PROGRAM)
        fields = _inputs(opened.dialog)
        assert {"name", "kind", "channel", "schedule", "timezone", "options"} <= set(fields)
        assert {c["value"] for c in fields["channel"]["choices"]} >= {TEAM}
        values = {"name": "coffee", "kind": "coffee", "channel": TEAM, "schedule": "when pigs fly"}
        refused = await driver.submit_form(LEAD, card, opened.dialog or {}, values)
        assert any("schedule" in e.lower() or "pigs" in e for e in _errors(refused.dialog))
        assert _inputs(refused.dialog)["name"]["value"] == "coffee"  # what was typed is kept
        assert await _program(core, "coffee") is None  # nothing saved

        values |= {"schedule": "every monday at 09:00", "options": ["join_via_channel"]}
        saved = await driver.submit_form(LEAD, card, refused.dialog or {}, values)
        assert saved.closed_with and saved.closed_with.startswith("Created the program coffee")
        program = await _program(core, "coffee")
        assert program is not None and program.channel_id == TEAM and program.join_via_channel

        await driver.say(aad(2), "program")
        assert "program leads" in " ".join(driver.last(aad(2)).texts())
        forged = await driver.submit_form(aad(2), card, opened.dialog or {}, {"name": "mine"})
        assert forged.closed_with and "program leads" in forged.closed_with
        assert await _program(core, "mine") is None


async def test_a_member_signs_up_in_a_dialog_and_can_edit_the_answers(
    microsoft: MicrosoftSimulator, database_url: str
) -> None:
    async with running(
        microsoft, database_url, [tenant(3)], teams_tenant_id=TENANT, admins=[LEAD]
    ) as (_core, driver):
        card, opened = await _open(driver, LEAD, "program", actions.NEW_PROGRAM)
        values = {"name": "coffee", "kind": "coffee", "schedule": "every monday at 09:00"}
        assert (await driver.submit_form(LEAD, card, opened.dialog or {}, values)).closed_with

        member = aad(1)
        card, opened = await _open(driver, member, "signup", actions.OPEN_SIGNUP)
        form = opened.dialog or {}
        assert "Microsoft Teams profile" in str(form)
        answers = {"interests": "chess, jazz", "team": "Platform", "work_start": "25:00"}
        refused = await driver.submit_form(member, card, form, answers)
        assert _errors(refused.dialog), refused.body
        assert _inputs(refused.dialog)["interests"]["value"] == "chess, jazz"

        answers |= {
            "work_start": "08:30",
            "work_end": "16:30",
            "preferences": ["prefer_cross_team"],
        }
        done = await driver.submit_form(member, card, refused.dialog or {}, answers)
        assert done.closed_with and "signed up for coffee" in done.closed_with
        homes = [m for m in driver.inbox(member) if (m.card or {}).get("refresh")]
        assert homes and "signed up" in " ".join(homes[-1].texts())

        card, again = await _open(driver, member, "signup", actions.OPEN_SIGNUP)
        prefilled = _inputs(again.dialog)
        assert prefilled["interests"]["value"] == "chess, jazz"
        assert prefilled["preferences"]["value"] == "prefer_cross_team"
        await driver.say(member, "profile")
        assert "chess" in " ".join(driver.last(member).texts())

        not_mine = {"mentorbot_form": "payroll"}
        odd = await driver._task(member, card, "task/submit", not_mine)
        assert odd.closed_with and "not one of mine" in odd.closed_with


async def test_a_form_submitted_from_a_card_in_the_chat_reaches_the_same_use_case(
    microsoft: MicrosoftSimulator, database_url: str
) -> None:
    async with running(
        microsoft, database_url, [tenant(3)], teams_tenant_id=TENANT, admins=[LEAD]
    ) as (_core, driver):
        card, opened = await _open(driver, LEAD, "program", actions.NEW_PROGRAM)
        values = {"name": "coffee", "kind": "coffee", "schedule": "every monday at 09:00"}
        assert (await driver.submit_form(LEAD, card, opened.dialog or {}, values)).closed_with
        _card, opened = await _open(driver, aad(1), "signup", actions.OPEN_SIGNUP)
        submit = (opened.dialog or {})["actions"][0]["data"]
        program = _inputs(opened.dialog)["program"]["value"]
        wrong = {**submit, "program": program, "interests": "chess", "work_start": "99:99"}
        sent = driver.activity(aad(1), "message", value=wrong)  # Action.Submit in the chat
        assert (await driver.post(sent)).status == 200
        again = driver.last(aad(1))
        assert _errors(again.card) and _inputs(again.card)["interests"]["value"] == "chess"
        right = {**wrong, "work_start": "09:00", "work_end": "17:00"}
        assert (await driver.post(driver.activity(aad(1), "message", value=right))).status == 200
        assert "signed up for **coffee**" in " ".join(driver.last(aad(1)).texts())
