"""The lead creates the programs, and everyone signs up — all through Slack's front door.

Every step is what a person does in the Slack client: a ``/mentor`` command, then the
modal the app really opened, submitted with Slack's ``view_submission`` payload, each
request signed with the workspace's signing secret (``bot.slack.simulator.driver``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.demo.company import COFFEE_CHANNEL, MENTORING_CHANNEL
from bot.demo.people import SKILLS, DemoPerson
from bot.demo.stage import DemoError, Stage
from bot.kinds.coffee import COFFEE as COFFEE_KIND
from bot.kinds.mentorship import MENTORSHIP as MENTORSHIP_KIND
from bot.services.signup_form import PREFER_CROSS_TEAM
from bot.slack import views_program as program_form
from bot.slack import views_signup as signup_form
from bot.slack.simulator.driver import Reply

COFFEE, MENTORING = "coffee", "mentoring"
OPEN_WAIT = 15.0  # seconds for a modal to open (generous: the machine may be busy)
# People filling in forms at once: more only lengthens the queue for SQLite's one writer.
CONCURRENT_PEOPLE = 3

# What the lead types into the program form; the rest keeps the form's defaults
# (time zone: the lead's own; check-in after 3 days).
PROGRAM_FORMS: dict[str, dict[str, Any]] = {
    COFFEE: {
        program_form.NAME: COFFEE,
        program_form.KIND: COFFEE_KIND.name,
        program_form.CHANNEL: COFFEE_CHANNEL,
        program_form.SCHEDULE: "every monday at 09:00",
        program_form.GROUP_SIZE: "2",
    },
    MENTORING: {
        program_form.NAME: MENTORING,
        program_form.KIND: MENTORSHIP_KIND.name,
        program_form.CHANNEL: MENTORING_CHANNEL,
        program_form.SCHEDULE: "every monday at 10:00",
        program_form.CAPACITY: "2",
        "term_weeks": "12",
        "checkin_every_weeks": "2",
        "topics": ", ".join(SKILLS),
    },
}


@dataclass(frozen=True, slots=True)
class Signups:
    coffee: int
    mentors: int
    mentees: int
    modals: int


async def create_programs(stage: Stage) -> list[str]:
    """``/mentor program`` by the lead, once per program; the form as the lead fills it."""
    created = []
    for name, values in PROGRAM_FORMS.items():
        await _through_modal(stage, stage.lead.user_id, "program", values, f"program {name}")
        created.append(name)
    return created


async def sign_everyone_up(stage: Stage, progress: Callable[[int, int], None]) -> Signups:
    """Everyone joins coffee; mentors and mentees also join mentoring."""
    total = sum(len(programs_of(p)) for p in stage.people)
    gate = asyncio.Semaphore(CONCURRENT_PEOPLE)
    done = 0

    async def signs_up(person: DemoPerson) -> None:
        nonlocal done
        async with gate:
            for program in programs_of(person):
                values = signup_values(person, program)
                await _through_modal(
                    stage, person.user_id, f"signup {program}", values, f"{program} signup"
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


def programs_of(person: DemoPerson) -> list[str]:
    return [COFFEE, MENTORING] if person.mentorship_role else [COFFEE]


def signup_values(person: DemoPerson, program: str) -> dict[str, Any]:
    """The signup form as this person fills it in (block id → value)."""
    values: dict[str, Any] = {
        signup_form.INTERESTS: ", ".join(person.interests),
        signup_form.TEAM: person.team,
        signup_form.PREFERENCES: [PREFER_CROSS_TEAM] if person.prefers_cross_team else [],
        signup_form.WORK_START: person.work_start,
        signup_form.WORK_END: person.work_end,
    }
    if program == MENTORING and person.mentorship_role is not None:
        values[signup_form.ROLE] = person.mentorship_role
        if person.mentorship_role == "mentor":
            values[signup_form.SKILLS] = ", ".join(person.skills)
            values[signup_form.CAPACITY] = str(2 + person.seniority // 2)
        else:
            values[signup_form.GOALS] = ", ".join(as_typed(g, person.user_id) for g in person.goals)
    return values


# How people really type what they want to learn (the matcher reads what they mean).
TYPED = {
    "public speaking": ("Public-Speaking", "presenting", "public speaking"),
    "career growth": ("career development", "Career growth", "career"),
    "management": ("Management", "management"),
    "writing": ("Writing", "writing"),
    "statistics": ("stats", "Statistics"),
    "negotiation": ("negotiating", "Negotiation"),
    "hiring": ("interviewing", "Hiring"),
    "python": ("Python", "python"),
    "system design": ("System-Design", "system designs"),
    "user research": ("User Research", "user-research"),
    "code review": ("code reviews", "Code Review"),
}


def as_typed(goal: str, user_id: str) -> str:
    """``goal`` as this person writes it (fixed per person and goal)."""
    ways = TYPED.get(goal)
    if not ways:
        return goal
    return ways[sum(map(ord, user_id + goal)) % len(ways)]


async def _through_modal(
    stage: Stage, user_id: str, command: str, values: dict[str, Any], what: str
) -> None:
    driver = stage.driver
    opened = await driver.command(user_id, command, wait=OPEN_WAIT)
    try:
        view = driver.opened_view(opened)
    except LookupError:
        raise DemoError(f"/mentor {command} opened no form: {_said(opened)}") from None
    submitted = await driver.submit(user_id, view, values)
    if submitted.status != 200 or submitted.body:
        if submitted.status == 404:  # Bolt's answer when a listener did not ack in 3 s
            raise DemoError(
                f"the app did not answer the {what} form within Slack's 3 seconds "
                "(is the machine very busy?)"
            )
        raise DemoError(f"the {what} form was refused: {_said(submitted)}")


through_modal = _through_modal  # the demo's later steps fill forms the same way


def _said(reply: Reply) -> str:
    """One line of what the app answered."""
    answer: Any = reply.body
    with contextlib.suppress(ValueError):
        answer = reply.json() or reply.responses
    text = json.dumps(answer, ensure_ascii=False) if not isinstance(answer, str) else answer
    return f"HTTP {reply.status} {text[:300]}"
