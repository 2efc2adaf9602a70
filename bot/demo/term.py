"""The mentoring program's 12-week term, through the real product: the clock's
check-ins every two weeks with people clicking "We met" and marking their goals, a
stalled pair nudged, one mentee ending early with ``/mentor end``, the lead letting
mentees choose, a rematch chosen from suggestions and accepted by the mentor in one
click, the closing cards, and what the lead learns (``/mentor stats mentoring``).

Who answers how is decided by the demo's seed.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot.builders import mentorship as build
from bot.builders.text import day
from bot.demo import terminal
from bot.demo.console import Console
from bot.demo.rounds import run_round
from bot.demo.signups import MENTORING, through_modal
from bot.demo.stage import DemoError, Stage
from bot.services.scheduled import run_mentorship_checkins
from bot.slack.simulator.workspace import PostedMessage
from storage.records import MentorshipRecord

TERM_WEEKS = 12
CHECKIN_EVERY = 2
MET_SHARE = 0.85  # of the pairs that answer a check-in at all
CONTINUE_SHARE = 0.7  # of the people answering "continue for another term?"
CONCURRENT = 8
REDRAW_WAIT = 20.0


@dataclass
class Term:
    checkins: int = 0
    met: int = 0
    goals_moved: int = 0
    nudges: int = 0
    notes: list[str] = field(default_factory=list)


async def play_term(stage: Stage, console: Console, *, seed: int) -> None:
    """Weeks 2 to 12 of the term that the first intake began."""
    rng = random.Random(f"{seed}:term")
    tz = stage.lead.time_zone
    found = await _mentorships(stage)
    starts = [m.started_at for m in found if m.started_at is not None]
    if not starts:
        return
    start = min(starts)
    silent = min(found, key=lambda m: m.id).id  # one pair never answers: it stalls
    console.heading(
        f"The mentoring term: {len(found)} mentorships of {TERM_WEEKS} weeks from "
        f"{day(start, tz)}, a check-in every {CHECKIN_EVERY} weeks"
    )
    ended = False
    for week in range(CHECKIN_EVERY, TERM_WEEKS + 1, CHECKIN_EVERY):
        stage.clock.jump_to(start + timedelta(weeks=week, hours=1))
        queued = await run_mentorship_checkins(stage.scope)
        if week == TERM_WEEKS:
            await _closing(stage, console, rng, queued.closings)
            break
        tally = await _answer_checkins(stage, rng, silent, week)
        console.line(
            f"   week {week} check-in (sent {day(stage.clock(), tz)}): {queued.checkins} asked · "
            f"{tally.met} met · {tally.goals_moved} goals moved on"
            + (f" · {queued.nudges} nudged (stalled)" if queued.nudges else "")
        )
        if queued.nudges:
            await _show_nudge(stage, console, silent)
        if not ended and week >= 6:
            ended = await _end_and_rematch(stage, console, rng, silent)


async def _mentorships(stage: Stage, states: Sequence[str] = ("active",)) -> list[MentorshipRecord]:
    async with stage.scope.unit(read_only=True) as uow:
        program = await uow.programs.by_name(MENTORING)
        if program is None:
            return []
        return await uow.mentorships.for_program(program.id, states=states)


def _posted(stage: Stage, users: set[str], key: str) -> PostedMessage | None:
    conversation = stage.simulator.workspace.conversation_of(users) or ""
    for message in stage.simulator.workspace.messages_in(conversation):
        if (message.metadata or {}).get("event_payload", {}).get("key") == key:
            return message
    return None


async def _click(
    stage: Stage, user_id: str, action: str, value: str, message: PostedMessage
) -> Any:
    """A click on ``message``, and the app's redraw of it (in place) awaited."""
    before = message.updates
    reply = await stage.driver.click(
        user_id, action, value, channel_id=message.channel, message_ts=message.ts, wait=0
    )
    if reply.status != 200:
        raise DemoError(f"a click was refused: HTTP {reply.status} {reply.body[:200]}")
    deadline = time.monotonic() + REDRAW_WAIT
    while message.updates == before:
        if time.monotonic() > deadline:
            raise DemoError(f"the app did not record a {action} click")
        await asyncio.sleep(0.02)
    return reply


async def _answer_checkins(stage: Stage, rng: random.Random, silent: int, week: int) -> Term:
    tally = Term()
    gate = asyncio.Semaphore(CONCURRENT)
    plans = []
    for m in await _mentorships(stage):
        message = _posted(
            stage, {m.mentor.user_id, m.mentee.user_id}, f"m{m.id}:checkin:{m.checkins}"
        )
        if message is None or m.id == silent or rng.random() > MET_SHARE:
            continue
        goal = rng.randrange(len(m.goals)) if m.goals and week % 4 == 2 else None
        progress = "achieved" if week >= 6 and rng.random() < 0.5 else "under_way"
        plans.append((m, message, goal, progress))

    async def answer(
        m: MentorshipRecord, message: PostedMessage, goal: int | None, progress: str
    ) -> None:
        async with gate:
            await _click(stage, m.mentee.user_id, build.MET, str(m.id), message)
            tally.met += 1
            if goal is not None and m.goals[goal].progress != progress:
                value = f"{m.id}:{goal}:{progress}"
                await _click(stage, m.mentee.user_id, build.GOAL, value, message)
                tally.goals_moved += 1

    await asyncio.gather(*(answer(*plan) for plan in plans))
    return tally


async def _show_nudge(stage: Stage, console: Console, silent: int) -> None:
    m = next((x for x in await _mentorships(stage) if x.id == silent), None)
    if m is None:
        return
    message = _posted(stage, {m.mentor.user_id, m.mentee.user_id}, f"m{m.id}:nudge:{m.checkins}")
    if message is not None:
        console.line(f"     {m.mentor.real_name} and {m.mentee.real_name} read:")
        console.lines(terminal.message_lines(message.blocks, message.text, stage.names), "     ")


async def _end_and_rematch(stage: Stage, console: Console, rng: random.Random, silent: int) -> bool:
    """The stalled pair's mentee ends it; the lead lets mentees choose; the next intake
    offers suggestions; the mentee picks one; the mentor accepts."""
    m = next((x for x in await _mentorships(stage) if x.id == silent), None)
    if m is None:
        return False
    mentee, mentor = m.mentee, m.mentor
    reply = await stage.driver.command(mentee.user_id, "end we never found the time", wait=10.0)
    answer = reply.responses[-1] if reply.responses else reply.json()
    console.line(f"   {mentee.real_name} types /mentor end we never found the time, and reads:")
    console.lines(
        terminal.message_lines(answer.get("blocks") or [], str(answer.get("text", ""))), "     "
    )
    note = await _waited(lambda: _dm_with(stage, mentor.user_id, "close"))
    console.line(f"     {mentor.real_name} gets a kind note (without the reason):")
    console.lines(terminal.message_lines(note.blocks, note.text, stage.names), "     ")

    console.line(
        f"   {stage.lead.real_name} edits the program (/mentor program {MENTORING}): "
        "Matching → The mentee chooses"
    )
    await through_modal(
        stage,
        stage.lead.user_id,
        f"program {MENTORING}",
        {"matching": "mentee_chooses"},
        "program mentoring",
    )
    stage.clock.advance(days=6)  # the next intake, a Monday
    delivered = await run_round(stage, MENTORING, 100, rng.getrandbits(32), lambda d, t: None)
    notes = delivered.round.notes[-1:] if delivered.round.notes else ()
    console.line(f"   {delivered.formed.summary()} {' '.join(notes)}".rstrip())
    card = _dm_with(stage, mentee.user_id, "Choose your")  # delivered with the round
    if card is None:
        console.line(
            f"   No mentor with a free place fits {mentee.real_name}'s goals yet: they wait "
            "for the next intake (first in line)."
        )
        return True
    console.line(f"   {mentee.real_name} reads their suggestions:")
    console.lines(terminal.message_lines(card.blocks, card.text, stage.names), "     ")
    choice = next(
        (
            b["accessory"]["value"]
            for b in card.blocks
            if b.get("accessory", {}).get("action_id") == build.CHOOSE
        ),
        None,
    )
    if choice is None:
        return True
    picked = choice.split(":", 1)[1]
    chosen = await stage.driver.click(
        mentee.user_id, build.CHOOSE, choice, channel_id=card.channel, message_ts=card.ts, wait=5.0
    )
    if chosen.status != 200:
        raise DemoError(f"choosing a mentor was refused: {chosen.body[:200]}")
    request = await _waited(lambda: _dm_with(stage, picked, "would like you"))
    accept = next(
        e["value"]
        for b in request.blocks
        for e in b.get("elements", [])
        if e.get("action_id") == build.ACCEPT
    )
    await _click(stage, picked, build.ACCEPT, accept, request)
    started = [
        x
        for x in await _mentorships(stage)
        if x.mentee.user_id == mentee.user_id and x.decided_by == "mentee"
    ]
    if started:
        s = started[0]
        console.line(
            f"   {mentee.real_name} chose {s.mentor.real_name}, who accepted in one click: "
            f"a new mentorship until {day(s.ends_at or stage.clock(), stage.lead.time_zone)} "
            f"(decided by the mentee; never {mentor.real_name} again)"
        )
    return True


def _dm_with(stage: Stage, user_id: str, text: str) -> PostedMessage | None:
    conversation = stage.simulator.workspace.conversation_of({user_id}) or ""
    found = [m for m in stage.simulator.workspace.messages_in(conversation) if text in m.text]
    return found[-1] if found else None


async def _waited(check: Any, wait: float = REDRAW_WAIT) -> Any:
    deadline = time.monotonic() + wait
    while True:
        found = check()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise DemoError("a message the demo waits for never arrived")
        await asyncio.sleep(0.02)


async def _closing(stage: Stage, console: Console, rng: random.Random, cards: int) -> None:
    """Both sides of each ended term answer their closing card."""
    ending = [m for m in await _mentorships(stage) if m.closing_sent_at is not None]
    gate = asyncio.Semaphore(CONCURRENT)
    outcomes = list(build.OUTCOMES)

    async def answer(m: MentorshipRecord, user_id: str) -> None:
        card = _posted(stage, {user_id}, f"m{m.id}:t{m.term}:closing:{user_id}")
        if card is None:
            return
        rating = rng.choices(build.RATINGS, (1, 1, 3, 6, 5))[0]
        came = rng.choice(outcomes)
        again = "yes" if rng.random() < CONTINUE_SHARE else "no"
        async with gate:
            await _click(stage, user_id, build.RATE, f"{m.id}:{rating}", card)
            if user_id == m.mentee.user_id:
                await _click(stage, user_id, build.OUTCOME, f"{m.id}:{came}", card)
            await _click(stage, user_id, build.CONTINUE, f"{m.id}:{again}", card)

    await asyncio.gather(
        *(answer(m, u) for m in ending for u in (m.mentor.user_id, m.mentee.user_id))
    )
    after = Counter(
        m.state if m.state != "active" else "continued"
        for m in await _mentorships(stage, ("active", "completed"))
        if m.id in {e.id for e in ending}
    )
    console.line(
        f"   week {TERM_WEEKS} ({day(stage.clock(), stage.lead.time_zone)}): the term is "
        f"over — {cards} closing cards answered; {after['continued']} mentorships continue "
        f"for another term (both said yes), {after['completed']} completed"
    )
    if ending:
        m = ending[0]
        card = _posted(stage, {m.mentee.user_id}, f"m{m.id}:t{m.term}:closing:{m.mentee.user_id}")
        if card is not None:
            console.line(f"     {m.mentee.real_name}'s closing card, answered:")
            console.lines(terminal.message_lines(card.blocks, card.text, stage.names), "     ")


async def show_mentoring_stats(stage: Stage, console: Console) -> None:
    """What the lead reads: mentorships by state, closing cards in aggregate, the gap."""
    reply = await stage.driver.command(stage.lead.user_id, f"stats {MENTORING}", wait=10.0)
    if reply.responses:
        answer = reply.responses[-1]
        console.heading(f"{stage.lead.real_name} types /mentor stats {MENTORING} and reads:")
        console.lines(
            terminal.message_lines(answer.get("blocks") or [], str(answer.get("text", ""))),
            indent="   ",
        )
