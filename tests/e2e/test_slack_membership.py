"""Self-service through /mentor: help, pause, resume, match, profile and leave — what the
person reads, and what is stored."""

from __future__ import annotations

import json

import pytest

from bot.builders import actions
from bot.builders import checkin as build
from bot.core import Core
from bot.services import membership
from bot.slack.simulator.driver import SlackDriver
from bot.slack.simulator.slack_api import SlackApiSimulator
from pairing.models import Reason, ReasonKind
from storage.records import ProgramRecord
from tests.e2e.slack_helpers import (
    add_program,
    button,
    enrollments,
    person,
    readable,
    said,
    sign_up,
    store_round,
    workspace_id,
)
from tests.fakes.clock import FakeClock


@pytest.fixture
async def coffee(driver: SlackDriver, container: Core) -> ProgramRecord:
    """A coffee program Alan and Kath signed up for through the modal."""
    program = await add_program(container, "coffee")
    for user_id, interests in (("U0ALAN", "chess, tea"), ("U0KATH", "chess, orbits")):
        reply = await sign_up(driver, user_id, {"program": str(program.id), "interests": interests})
        assert not reply.body
    return program


@pytest.mark.parametrize("text", ["", "help", "HELP", "dance like nobody's watching", "?"])
async def test_help_is_the_answer_to_empty_unknown_and_help(driver: SlackDriver, text: str) -> None:
    reply = await driver.command("U0ALAN", text)
    assert reply.status == 200
    [answer] = said(reply)  # acknowledged at once; the answer follows on the response_url
    assert answer["response_type"] == "ephemeral"
    assert "/mentor signup" in answer["text"]
    for command in ("pause", "resume", "leave", "match", "profile"):
        assert command in reply.text


async def test_pause_for_two_weeks_says_until_when_and_comes_back_by_itself(
    driver: SlackDriver, container: Core, coffee: ProgramRecord, clock: FakeClock
) -> None:
    reply = await driver.command("U0ALAN", "pause 2")
    assert "Paused *coffee* until Monday 7 December" in reply.text
    assert reply.responses[0]["response_type"] == "ephemeral"
    [enrolled] = await enrollments(container, "U0ALAN")
    assert enrolled.paused and not enrolled.is_active(clock())
    clock.advance(days=15)
    assert enrolled.is_active(clock())
    profile = await driver.command("U0ALAN", "profile")
    assert "taking part" in profile.text


async def test_pause_without_weeks_lasts_until_resume(
    driver: SlackDriver, container: Core, coffee: ProgramRecord, clock: FakeClock
) -> None:
    assert "until you `/mentor resume`" in (await driver.command("U0ALAN", "pause")).text
    clock.advance(days=400)
    [enrolled] = await enrollments(container, "U0ALAN")
    assert not enrolled.is_active(clock())
    assert "Welcome back" in (await driver.command("U0ALAN", "resume")).text
    [enrolled] = await enrollments(container, "U0ALAN")
    assert enrolled.is_active(clock())


@pytest.mark.parametrize("weeks", ["abc", "0", "53", "-2", "9" * 5000])
async def test_a_bad_number_of_weeks_changes_nothing_and_says_how(
    driver: SlackDriver, container: Core, coffee: ProgramRecord, weeks: str
) -> None:
    reply = await driver.command("U0ALAN", f"pause {weeks}")
    assert reply.status == 200
    assert "/mentor pause 2" in reply.text
    [enrolled] = await enrollments(container, "U0ALAN")
    assert not enrolled.paused


async def test_someone_not_signed_up_is_pointed_to_signup(driver: SlackDriver) -> None:
    for text in ("pause", "resume", "match", "leave"):
        reply = await driver.command("U0GRACE", text)
        assert "not signed up" in reply.text and "/mentor signup" in reply.text


async def test_someone_slack_no_longer_knows_changes_nothing(
    driver: SlackDriver, container: Core, coffee: ProgramRecord, slack: SlackApiSimulator
) -> None:
    slack.workspace.teams["T0001"].users["U0ALAN"].deleted = True
    for text in ("pause", "resume", "leave", "match", "profile"):
        reply = await driver.command("U0ALAN", text)
        assert "doesn't know your account" in reply.text
    [enrolled] = await enrollments(container, "U0ALAN")
    assert not enrolled.paused and enrolled.left_at is None


async def test_match_names_the_partner_and_why(
    driver: SlackDriver, container: Core, coffee: ProgramRecord
) -> None:
    reasons = (
        Reason(ReasonKind.SHARED_INTERESTS, items=("chess",)),
        Reason(ReasonKind.OVERLAPPING_HOURS, minutes=120, window=(15 * 60, 17 * 60)),
    )
    await store_round(container, coffee, [["U0ALAN", "U0KATH"]], reasons=reasons)
    reply = readable(await driver.command("U0ALAN", "match"))
    assert "You're meeting *Katherine Johnson* (Data Scientist)" in reply
    assert "You share an interest in chess" in reply
    # in each member's own time, as the introduction says it (London is UTC in November)
    assert "overlap for 2 h a day: 15:00–17:00 for Alan Turing" in reply


async def test_match_tells_someone_left_out_that_they_are_first_next_time(
    driver: SlackDriver, container: Core, coffee: ProgramRecord
) -> None:
    await store_round(container, coffee, [], left_out=("U0ALAN",))
    reply = await driver.command("U0ALAN", "match")
    assert "weren't matched in round 1" in reply.text and "first in line" in reply.text


async def test_leave_asks_first_and_cancel_changes_nothing(
    driver: SlackDriver, container: Core, coffee: ProgramRecord
) -> None:
    question = await driver.command("U0ALAN", "leave")
    asked = question.responses[0]
    assert "Leave *coffee*?" in asked["text"]
    stay = button(asked["blocks"], actions.LEAVE_CANCEL)
    reply = await driver.click("U0ALAN", stay["action_id"], stay["value"], channel_id="C0GENERAL")
    assert reply.responses[0]["replace_original"] is True
    assert "nothing changed" in reply.responses[0]["text"]
    [enrolled] = await enrollments(container, "U0ALAN")
    assert enrolled.left_at is None


async def test_leaving_the_last_program_erases_the_profile_and_keeps_history_anonymised(
    driver: SlackDriver, container: Core, coffee: ProgramRecord
) -> None:
    await store_round(container, coffee, [["U0ALAN", "U0KATH"]])
    asked = (await driver.command("U0ALAN", "leave")).responses[0]
    confirm = button(asked["blocks"], actions.LEAVE_CONFIRM)
    assert confirm["style"] == "danger"
    reply = await driver.click(
        "U0ALAN", confirm["action_id"], confirm["value"], channel_id="C0GENERAL"
    )
    said = reply.responses[0]
    assert said["replace_original"] is True
    assert "You've left *coffee*" in said["text"] and "Former member" in said["text"]
    assert await person(container, "U0ALAN") is None  # no longer findable by Slack id
    async with container.uow(await workspace_id(container)) as uow:
        left = [
            e
            for e in await uow.enrollments.for_program(coffee.id, include_left=True)
            if e.left_at is not None
        ]
        latest = await uow.rounds.latest(coffee.id)
        log = await uow.audit.recent()
    assert latest is not None
    names = {m.person.display_name for m in latest.groups[0].members}
    assert names == {"Former member", "kath"}
    assert any(action == "member.left" for _, _, action, _ in log)
    assert "U0ALAN" not in json.dumps([entry[1:] for entry in log])
    [former] = left
    assert former.person.display_name == "Former member" and former.interests == ()


async def test_leaving_one_of_two_programs_keeps_the_profile(
    driver: SlackDriver, container: Core, coffee: ProgramRecord
) -> None:
    tea = await add_program(container, "tea")
    assert not (await sign_up(driver, "U0ALAN", {"program": str(tea.id)}, "signup tea")).body
    asked = (await driver.command("U0ALAN", "leave tea")).responses[0]
    assert "Leave *tea*?" in asked["text"]
    confirm = button(asked["blocks"], actions.LEAVE_CONFIRM)
    await driver.click("U0ALAN", confirm["action_id"], confirm["value"], channel_id="C0GENERAL")
    [left_tea] = [e for e in await enrollments(container, "U0ALAN", include_left=True) if e.left_at]
    assert left_tea.program_id == tea.id and left_tea.interests == ()
    [still] = await enrollments(container, "U0ALAN")
    assert still.program_id == coffee.id and still.interests == ("chess", "tea")


async def test_ten_kilobytes_of_anything_never_break_a_command(
    driver: SlackDriver, coffee: ProgramRecord
) -> None:
    texts = [
        "x" * 10_000,
        "leave " + "☕" * 5000,
        "round " + '"' * 3000,
        "signup <@U0ADA> <!here> &amp; *_~`",
        "pause \x00\x01\x02",
        "match " + "\u202e" * 100,
    ]
    for text in texts:
        reply = await driver.command("U0ALAN", text)
        assert reply.status == 200
        assert reply.text.strip()
        assert "<!here>" not in reply.text and "Traceback" not in reply.text


async def test_an_unexpected_failure_gets_an_apology_and_a_logged_traceback(
    driver: SlackDriver,
    container: Core,
    coffee: ProgramRecord,
    slack: SlackApiSimulator,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug at line 500")

    monkeypatch.setattr(membership, "pause", broken)
    reply = await driver.command("U0ALAN", "pause 2")
    assert "Sorry — something went wrong on my side" in readable(reply)
    assert "Traceback" not in reply.text and "500" not in readable(reply)
    assert any(r.exc_info for r in caplog.records if "failed unexpectedly" in r.getMessage())
    [enrolled] = await enrollments(container, "U0ALAN")
    assert not enrolled.paused


async def test_slack_failing_again_and_again_is_a_try_again_not_a_bug(
    driver: SlackDriver,
    container: Core,
    coffee: ProgramRecord,
    slack: SlackApiSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Slack answering 500 to every retry is Slack's trouble, not ours: the person is told
    to try again, and the log has a warning, not a traceback."""
    slack.fail("users.info", status=500, times=10)
    reply = await driver.command("U0ALAN", "pause 2")
    assert "try again in a minute" in readable(reply) and "went wrong" not in readable(reply)
    assert "Traceback" not in reply.text and "500" not in readable(reply)
    assert not any(r.exc_info for r in caplog.records if "failed" in r.getMessage())
    [enrolled] = await enrollments(container, "U0ALAN")
    assert not enrolled.paused


@pytest.mark.parametrize("value", ["²", "99999999999", "9" * 30, "-3"])
async def test_forged_button_values_get_a_polite_answer_never_an_error(
    driver: SlackDriver, container: Core, coffee: ProgramRecord, value: str
) -> None:
    # Button values come back from the client: ids past 32 bits overflowed PostgreSQL's
    # integer column (and SQLite's past 64), and "²" passed str.isdigit but not int().
    for action_id in (actions.RESUME, actions.PAUSE, actions.OPEN_SIGNUP, build.MET):
        reply = await driver.click("U0ALAN", action_id, value, wait=2.0)
        assert reply.status == 200, (action_id, reply.body)
        assert "went wrong" not in reply.text, (action_id, reply.text)
    [enrolled] = await enrollments(container, "U0ALAN")
    assert not enrolled.paused  # a pause button for no program pauses nothing
