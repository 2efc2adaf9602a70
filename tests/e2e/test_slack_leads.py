"""Lead-only commands: refused politely for others; history, stats and the program modal
for leads (workspace admins and the ``admins`` in settings)."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.core import Core
from bot.kinds.coffee import GROUP_SIZE
from bot.slack.simulator.driver import SlackDriver
from bot.slack.simulator.slack_api import SlackApiSimulator
from storage.records import ProgramRecord
from tests.e2e.slack_helpers import (
    add_program,
    readable,
    said,
    sign_up,
    store_round,
    wait_until,
    workspace_id,
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Kath leads programs through the config file's ``admins``."""
    return settings.model_copy(update={"admins": ["U0KATH"]})


@pytest.fixture
async def coffee(driver: SlackDriver, container: Core) -> ProgramRecord:
    program = await add_program(container, "coffee")
    for user_id in ("U0ALAN", "U0GRACE"):
        assert not (await sign_up(driver, user_id, {"program": str(program.id)})).body
    return program


@pytest.mark.parametrize(
    "text", ["round coffee", "history coffee", "stats coffee", "program", "program coffee"]
)
async def test_lead_only_commands_are_refused_politely_for_others(
    driver: SlackDriver, container: Core, slack: SlackApiSimulator, text: str
) -> None:
    await add_program(container, "coffee")
    reply = await driver.command("U0GRACE", text)
    assert "Only program leads can do that" in reply.text
    if text.startswith("program"):  # a form's command: the refusal takes the form's place
        assert said(reply) == [] and reply.modal is not None
        assert list(slack.workspace.views.values()) == [reply.modal]
        assert not [b for b in reply.modal["blocks"] if b["type"] == "input"]
        assert "submit" not in reply.modal  # nothing a member could send
    else:
        assert [m["response_type"] for m in said(reply)] == ["ephemeral"]
        assert slack.workspace.views == {}
    async with container.uow(await workspace_id(container)) as uow:
        program = await uow.programs.by_name("coffee")
        assert program is not None and await uow.rounds.latest(program.id) is None


async def test_a_workspace_admin_reads_the_history(
    driver: SlackDriver, container: Core, coffee: ProgramRecord
) -> None:
    await store_round(container, coffee, [["U0ALAN", "U0GRACE"]], outcomes=("met",))
    reply = readable(await driver.command("U0ADA", "history coffee"))
    assert "Round 1" in reply and "grace" in reply.lower() and "— met" in reply


async def test_an_admin_from_settings_reads_the_stats(
    driver: SlackDriver, container: Core, coffee: ProgramRecord
) -> None:
    await store_round(container, coffee, [["U0ALAN", "U0GRACE"]], outcomes=("met",))
    reply = readable(await driver.command("U0KATH", "stats coffee"))
    assert "Participation*\n100%" in reply and "Meeting rate*\n100%" in reply
    assert "Network*\nE-I index" in reply and "random pairing" in reply
    assert "with no cross-team tie yet" in reply


async def test_a_lead_asking_about_an_unknown_program_is_told_so(driver: SlackDriver) -> None:
    reply = await driver.command("U0ADA", 'stats "no such thing"')
    assert "no program called “no such thing”" in readable(reply)


async def test_a_lead_creates_a_program_in_the_modal(
    driver: SlackDriver, container: Core, slack: SlackApiSimulator
) -> None:
    opened = await driver.command("U0ADA", "program")
    view = driver.opened_view(opened)
    assert view["title"]["text"] == "New program"
    values = {
        "name": "Book club",
        "kind": "coffee",
        "channel": "C0COFFEE",
        "schedule": "every other week on friday at 15:00",
        "timezone": "Europe/Paris",
        "group_size": "3",
        "options": ["join_via_channel"],
    }
    reply = await driver.submit("U0ADA", view, values)
    assert reply.status == 200 and not reply.body
    async with container.uow(await workspace_id(container)) as uow:
        program = await uow.programs.by_name("book club")
        log = await uow.audit.recent()
    assert program is not None
    assert (program.kind, program.channel_id, GROUP_SIZE.of(program)) == ("coffee", "C0COFFEE", 3)
    assert program.schedule == "every other week on friday at 15:00" and program.join_via_channel
    assert any(action == "program.created" and actor == "U0ADA" for _, actor, action, _ in log)
    key = opened.trigger_id.split(".")[0]
    assert "Created the program *Book club*" in slack.workspace.responses[key][0]["text"]


async def test_bad_program_settings_come_back_on_their_fields(
    driver: SlackDriver, container: Core
) -> None:
    await add_program(container, "coffee")
    view = driver.opened_view(await driver.command("U0ADA", "program"))
    reply = await driver.submit(
        "U0ADA",
        view,
        {
            "name": "COFFEE",
            "schedule": "when pigs fly",
            "timezone": "Mars/Olympus_Mons",
            "group_size": "99",
            "options": ["join_via_channel"],
        },
    )
    errors = reply.json()["errors"]
    assert set(errors) == {"name", "schedule", "timezone", "group_size", "channel"}
    assert "already a program" in errors["name"]
    async with container.uow(await workspace_id(container)) as uow:
        assert [p.name for p in await uow.programs.all()] == ["coffee"]


async def test_a_lead_edits_a_program_from_its_filled_in_form(
    driver: SlackDriver, container: Core, coffee: ProgramRecord
) -> None:
    view = driver.opened_view(await driver.command("U0ADA", "program coffee"))
    assert view["title"]["text"] == "Edit program"
    name = next(b for b in view["blocks"] if b.get("block_id") == "name")
    assert name["element"]["initial_value"] == "coffee"
    reply = await driver.submit(
        "U0ADA", view, {"schedule": "first monday of the month at 10:00", "options": ["inactive"]}
    )
    assert not reply.body
    async with container.uow(await workspace_id(container)) as uow:
        edited = await uow.programs.get(coffee.id)
    assert edited is not None and edited.schedule == "first monday of the month at 10:00"
    assert edited.active is False
    signup = await driver.command("U0KATH", "signup")
    assert "no active programs" in signup.text


async def test_someone_who_lost_lead_rights_cannot_submit_a_program_form(
    driver: SlackDriver, container: Core, slack: SlackApiSimulator
) -> None:
    view = driver.opened_view(await driver.command("U0ADA", "program"))
    slack.workspace.teams["T0001"].users["U0ADA"].is_admin = False
    reply = await driver.submit("U0ADA", view, {"name": "sneaky", "schedule": "every day at 9:00"})
    assert "Only program leads" in reply.json()["errors"]["name"]
    async with container.uow(await workspace_id(container)) as uow:
        assert await uow.programs.by_name("sneaky") is None


async def test_a_lead_runs_a_round_and_the_members_then_see_their_match(
    driver: SlackDriver, container: Core, coffee: ProgramRecord, slack: SlackApiSimulator
) -> None:
    for user_id in ("U0ADA", "U0KATH"):
        assert not (await sign_up(driver, user_id, {"program": str(coffee.id)})).body
    reply = readable(await driver.command("U0ADA", "round coffee"))
    assert "Round 1 of coffee formed: 2 groups, 4 people" in reply
    assert "Introductions are on their way" in reply

    def introduced() -> bool:
        groups = [c for c in slack.workspace.conversations if len(c) == 2]
        return len(groups) == 2 and all(
            slack.workspace.messages_in(slack.workspace.conversations[g]) for g in groups
        )

    assert await wait_until(introduced, wait=10.0)
    match = readable(await driver.command("U0ALAN", "match"))
    assert "round 1" in match and "You're meeting" in match
