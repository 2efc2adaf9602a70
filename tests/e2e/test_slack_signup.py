"""Signing up through the modal, exactly as the Slack client submits it: state.values
built from the view the app really opened, answers on the fields at fault."""

from __future__ import annotations

import asyncio
import time

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core import Core
from bot.slack.simulator.driver import SlackDriver
from bot.slack.simulator.slack_api import SlackApiSimulator
from bot.slack.simulator.workspace import TRIGGER_SECONDS, SimulatedUser
from pairing.models import Role
from tests.e2e.slack_helpers import (
    add_program,
    enrollments,
    later_responses,
    person,
    sign_up,
    wait_until,
)


def _block(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


async def test_a_person_signs_up_for_coffee_and_is_told_so(
    driver: SlackDriver, container: Core, slack: SlackApiSimulator
) -> None:
    coffee = await add_program(container, "coffee")
    opened = await driver.command("U0ALAN", "signup")
    view = driver.opened_view(opened)
    assert view["title"]["text"] == "Join a program"
    assert "role" not in {b.get("block_id") for b in view["blocks"]}  # coffee only: no role
    reply = await driver.submit(
        "U0ALAN",
        view,
        {"program": str(coffee.id), "interests": "chess, running\nchess", "team": "Research"},
    )
    assert reply.status == 200 and not reply.body  # the modal closes
    [enrolled] = await enrollments(container, "U0ALAN")
    assert (enrolled.program_id, enrolled.role) == (coffee.id, Role.PEER)
    assert enrolled.interests == ("chess", "running")
    stored = await person(container, "U0ALAN")
    assert stored is not None
    assert (stored.display_name, stored.title, stored.team) == ("alan", "Researcher", "Research")
    assert stored.time_zone == "Europe/London"  # from users.info, never typed
    said = await wait_until(lambda: later_responses(slack, opened))
    assert "signed up for *coffee*" in said[0]["text"]
    assert said[0]["response_type"] == "ephemeral"


async def test_a_mentorship_signup_without_a_role_is_sent_back_to_the_role_field(
    driver: SlackDriver, container: Core
) -> None:
    mentoring = await add_program(container, "mentoring", kind="mentorship")
    reply = await sign_up(driver, "U0KATH", {"program": str(mentoring.id), "goals": "statistics"})
    answer = reply.json()
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"role"}
    assert await enrollments(container, "U0KATH") == []
    assert await person(container, "U0KATH") is None


async def test_each_field_at_fault_gets_its_own_message_and_nothing_is_stored(
    driver: SlackDriver, container: Core
) -> None:
    mentoring = await add_program(container, "mentoring", kind="mentorship")
    reply = await sign_up(
        driver,
        "U0KATH",
        {
            "program": str(mentoring.id),
            "role": "mentor",
            "capacity": "lots",  # a forged value; the real client only sends numbers
            "work_start": "09:00",
            "work_end": "09:00",
        },
    )
    errors = reply.json()["errors"]
    assert set(errors) == {"skills", "capacity", "work_end"}
    assert "whole number" in errors["capacity"]
    assert await enrollments(container, "U0KATH") == []


async def test_a_mentee_needs_goals_and_a_mentor_gets_the_programs_capacity(
    driver: SlackDriver, container: Core
) -> None:
    mentoring = await add_program(
        container, "mentoring", kind="mentorship", settings={"mentor_capacity": 3}
    )
    mentee = await sign_up(driver, "U0KATH", {"program": str(mentoring.id), "role": "mentee"})
    assert set(mentee.json()["errors"]) == {"goals"}
    mentor = await sign_up(
        driver, "U0GRACE", {"program": str(mentoring.id), "role": "mentor", "skills": "COBOL"}
    )
    assert not mentor.body
    [enrolled] = await enrollments(container, "U0GRACE")
    assert (enrolled.role, enrolled.skills, enrolled.capacity) == (Role.MENTOR, ("COBOL",), 3)


async def test_signing_up_again_shows_the_answers_and_edits_the_same_enrollment(
    driver: SlackDriver, container: Core
) -> None:
    await add_program(container, "coffee")
    mentoring = await add_program(container, "mentoring", kind="mentorship")
    first = {
        "program": str(mentoring.id),
        "role": "mentee",
        "goals": "public speaking",
        "preferences": ["prefer_cross_team"],
        "work_start": "08:00",
        "work_end": "16:00",
    }
    assert not (await sign_up(driver, "U0ALAN", first)).body
    again = driver.opened_view(await driver.command("U0ALAN", "signup"))
    assert again["title"]["text"] == "Edit your answers"
    assert _block(again, "program")["element"]["initial_option"]["value"] == str(mentoring.id)
    assert _block(again, "role")["element"]["initial_option"]["value"] == "mentee"
    assert _block(again, "goals")["element"]["initial_value"] == "public speaking"
    assert _block(again, "work_start")["element"]["initial_time"] == "08:00"
    assert _block(again, "preferences")["element"]["initial_options"][0]["value"] == (
        "prefer_cross_team"
    )
    edited = await driver.submit("U0ALAN", again, {"goals": "public speaking, writing"})
    assert not edited.body
    [enrolled] = await enrollments(container, "U0ALAN")
    assert enrolled.goals == ("public speaking", "writing")
    assert enrolled.role is Role.MENTEE and enrolled.preferences == {"prefer_cross_team": True}


async def test_a_program_that_is_not_offered_is_refused_on_the_program_field(
    driver: SlackDriver, container: Core
) -> None:
    await add_program(container, "coffee")
    elsewhere = await add_program(container, "their coffee", team_id="T0OTHER")
    for forged in (
        str(elsewhere.id),
        "99999",
        "99999999999",  # past a 32-bit id: PostgreSQL refused the query
        "²",  # a digit to str.isdigit, not to int()
        "'; DROP TABLE programs; --",
    ):
        reply = await sign_up(driver, "U0ALAN", {"program": forged})
        assert set(reply.json()["errors"]) == {"program"}
        assert "choose one of the programs" in reply.json()["errors"]["program"], forged
    assert await enrollments(container, "U0ALAN") == []


async def test_ten_kilobytes_unicode_and_markup_never_break_the_form(
    driver: SlackDriver, container: Core, slack: SlackApiSimulator
) -> None:
    coffee = await add_program(container, "coffee")
    huge = await sign_up(driver, "U0ALAN", {"program": str(coffee.id), "interests": "x" * 10_000})
    assert set(huge.json()["errors"]) == {"interests"}
    odd = "<!channel> *bold* \"quotes\" 'single' ☕️ 日本語, `code` & <@U0ADA>"
    fine = await sign_up(driver, "U0ALAN", {"program": str(coffee.id), "interests": odd})
    assert not fine.body
    [enrolled] = await enrollments(container, "U0ALAN")
    assert enrolled.interests[0].endswith("☕️ 日本語")  # stored as typed
    profile = await driver.command("U0ALAN", "profile")
    assert profile.status == 200
    assert "<!channel>" not in profile.text and "&lt;!channel&gt;" in profile.text


async def test_someone_slack_no_longer_knows_gets_a_clear_answer_and_nothing_changes(
    driver: SlackDriver, container: Core, slack: SlackApiSimulator
) -> None:
    coffee = await add_program(container, "coffee")
    reply = await driver.command("U0GHOST", "signup")
    assert "doesn't know your account" in reply.text
    assert list(slack.workspace.views.values()) == [reply.modal]  # the answer, no form
    assert reply.modal is not None and "submit" not in reply.modal
    assert not [b for b in reply.modal["blocks"] if b["type"] == "input"]
    view = {"type": "modal", "callback_id": "mentor_signup", "blocks": []}
    forged = await driver.submit("U0GHOST", view, {})
    assert forged.status == 200  # no input blocks to show an error on: still nothing stored
    opened = await driver.command("U0ALAN", "signup")
    submitted = await driver.submit(
        "U0GHOST", driver.opened_view(opened), {"program": str(coffee.id)}
    )
    assert "doesn't know your account" in submitted.json()["errors"]["program"]
    assert await person(container, "U0GHOST") is None


async def test_with_no_programs_signup_says_so(driver: SlackDriver) -> None:
    reply = await driver.command("U0ALAN", "signup")
    assert "no active programs" in reply.text


async def test_signup_names_a_program_to_open_the_form_on_it(
    driver: SlackDriver, container: Core
) -> None:
    await add_program(container, "coffee")
    tea = await add_program(container, "Tea Time")
    view = driver.opened_view(await driver.command("U0ALAN", 'signup "tea time"'))
    assert _block(view, "program")["element"]["initial_option"]["value"] == str(tea.id)
    unknown = await driver.command("U0ALAN", "signup <b>nope</b>")
    assert "no program called" in unknown.text and "<b>" not in unknown.text


async def test_two_dozen_people_sign_up_at_once_and_each_is_enrolled_once(
    driver: SlackDriver, container: Core, slack: SlackApiSimulator
) -> None:
    coffee = await add_program(container, "coffee")
    people = [f"U0P{i:03d}" for i in range(24)]
    for user_id in people:
        slack.workspace.add_user(SimulatedUser(user_id, user_id.lower(), f"Person {user_id}"))
    replies = await asyncio.gather(
        *(sign_up(driver, u, {"program": str(coffee.id), "interests": "tea"}) for u in people)
    )
    assert all(r.status == 200 and not r.body for r in replies)
    for user_id in people:
        assert len(await enrollments(container, user_id)) == 1


async def test_the_modal_opens_at_once_and_the_form_then_fills_it(
    driver: SlackDriver, container: Core, slack: SlackApiSimulator
) -> None:
    await add_program(container, "coffee")
    reply = await driver.command("U0ALAN", "signup")
    assert reply.status == 200 and reply.body == ""
    assert slack.workspace.trigger_waits[reply.trigger_id] < TRIGGER_SECONDS
    assert driver.opened_view(reply)["callback_id"] == "mentor_signup"
    views = [c.method for c in slack.calls if c.method.startswith("views.")]
    assert views == ["views.open", "views.update"]  # "Loading…", then the form in its place


async def test_the_form_opens_in_time_however_slow_the_profile_look_up_is(
    driver: SlackDriver, container: Core, slack: SlackApiSimulator
) -> None:
    """Issue 13: the form opened only after the database and a users.info look-up, so a
    busy app missed the trigger's 3 seconds and the person got "something went wrong"."""
    coffee = await add_program(container, "coffee")
    slack.fail("users.info", delay=TRIGGER_SECONDS + 1)
    reply = await driver.command("U0ALAN", "signup", wait=TRIGGER_SECONDS + 8)
    assert not slack.workspace.refused_triggers, slack.workspace.refused_triggers
    assert driver.opened_view(reply)["callback_id"] == "mentor_signup"
    slack.clear_faults()
    submitted = await driver.submit(
        "U0ALAN", driver.opened_view(reply), {"program": str(coffee.id)}
    )
    assert submitted.status == 200 and not submitted.body
    assert len(await enrollments(container, "U0ALAN")) == 1


async def test_a_submission_that_takes_long_closes_the_form_in_time_and_confirms_after(
    driver: SlackDriver, container: Core, slack: SlackApiSimulator
) -> None:
    coffee = await add_program(container, "coffee")
    asked = await driver.command("U0ALAN", "signup")
    slack.fail("users.info", delay=TRIGGER_SECONDS + 1)  # saving now takes over 4 s
    started = time.monotonic()
    reply = await driver.submit("U0ALAN", driver.opened_view(asked), {"program": str(coffee.id)})
    assert time.monotonic() - started < TRIGGER_SECONDS  # Slack hears back in time
    assert reply.status == 200 and not reply.body  # the form closes
    told = await wait_until(lambda: later_responses(slack, asked), wait=10)
    assert "signed up for *coffee*" in str(told), told
    assert len(await enrollments(container, "U0ALAN")) == 1


async def test_slack_refuses_a_trigger_used_late_or_twice(
    driver: SlackDriver, slack: SlackApiSimulator
) -> None:
    """The simulated Slack keeps Slack's rule, so a slow modal fails in tests as in Slack."""
    client = AsyncWebClient(token="xoxb-sim", base_url=slack.api_url)
    view = {"type": "modal", "title": {"type": "plain_text", "text": "t"}, "blocks": []}
    with slack._lock:
        fresh = slack.workspace.issue_trigger("fresh.trigger")
        stale = slack.workspace.issue_trigger("stale.trigger")
        slack.workspace.triggers[stale] -= TRIGGER_SECONDS + 0.1
    assert (await client.views_open(trigger_id=fresh, view=view))["ok"]
    for trigger, error in [
        (fresh, "exchanged_trigger_id"),
        (stale, "expired_trigger_id"),
        ("never.given", "invalid_trigger_id"),
    ]:
        with pytest.raises(SlackApiError) as refused:
            await client.views_open(trigger_id=trigger, view=view)
        assert refused.value.response["error"] == error
