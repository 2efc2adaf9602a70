"""The Teams demo's lead creates the programs, and everyone signs up — through the same
forms as on Slack, as Teams dialogs: the person types the command to the bot, clicks
the button on its answer (``task/fetch``), fills in the dialog and submits it
(``task/submit``), every activity signed as Bot Framework signs it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from bot.builders import actions
from bot.demo.people import DemoPerson
from bot.demo.signups import CONCURRENT_PEOPLE, PROGRAM_FORMS, Signups, programs_of, signup_values
from bot.demo.stage import DemoError
from bot.demo.teams_stage import TeamsStage
from bot.demo.teams_world import COFFEE_TEAM, MENTORING_TEAM, aad_id
from bot.slack.views_program import CHANNEL

CHANNELS = {"coffee": COFFEE_TEAM, "mentoring": MENTORING_TEAM}


async def create_programs(stage: TeamsStage) -> list[str]:
    """``program`` typed by the lead, once per program; the dialog as the lead fills it."""
    lead = aad_id(stage.lead)
    for team in CHANNELS.values():  # the lead is in both teams: mentorbot sees their channels
        await stage.driver.join_team(lead, team)
    created = []
    for name, values in PROGRAM_FORMS.items():
        filled = {**values, CHANNEL: CHANNELS[name]}
        await _through_dialog(stage, lead, "program", actions.NEW_PROGRAM, filled, name)
        created.append(name)
    return created


async def sign_everyone_up(stage: TeamsStage, progress: Callable[[int, int], None]) -> Signups:
    """Everyone joins coffee; mentors and mentees also join mentoring."""
    total = sum(len(programs_of(p)) for p in stage.people)
    gate = asyncio.Semaphore(CONCURRENT_PEOPLE)
    done = 0

    async def signs_up(person: DemoPerson) -> None:
        nonlocal done
        async with gate:
            for program in programs_of(person):
                values = signup_values(person, program)
                await _through_dialog(
                    stage, aad_id(person), f"signup {program}", actions.OPEN_SIGNUP, values, program
                )
                done += 1
                progress(done, total)

    await asyncio.gather(*(signs_up(p) for p in stage.people))
    return Signups(
        coffee=len(stage.people),
        mentors=sum(1 for p in stage.people if p.mentorship_role == "mentor"),
        mentees=sum(1 for p in stage.people if p.mentorship_role == "mentee"),
        modals=total,
    )


async def _through_dialog(
    stage: TeamsStage, user: str, typed: str, button: str, values: dict[str, Any], what: str
) -> None:
    driver = stage.driver
    await driver.say(user, typed)
    card = driver.last(user)
    opened = await driver.open_form(user, card, button)
    if opened.dialog is None:
        raise DemoError(f"“{typed}” opened no form: {opened.closed_with or opened.body}")
    submitted = await driver.submit_form(user, card, opened.dialog, values)
    if submitted.closed_with is None:
        raise DemoError(f"the {what} form was refused: {submitted.body}")
