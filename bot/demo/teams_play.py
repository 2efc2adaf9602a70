"""``mentorbot demo --platform teams``: the same story as the Slack demo, on a simulated
Microsoft Teams tenant.

Everything goes through the real product as Teams drives it — activities signed as Bot
Framework signs them, forms as dialogs, button clicks as Universal Actions — against the
simulated Microsoft: the lead adds the app and creates two programs in the program
form, everyone signs up in the signup form, each week a round of each program is formed
and delivered into real group chats (made through Graph), three days later people
answer the check-in or not, and the lead reads the numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import random
from collections import Counter
from datetime import timedelta

from bot.builders import checkin as buttons
from bot.builders.text import count, day, zone
from bot.delivery import keys
from bot.demo import report
from bot.demo.company import COMPANY
from bot.demo.console import Console
from bot.demo.people import make_people
from bot.demo.play import ROUND_HOUR, impact_lines
from bot.demo.rounds import (
    ANSWERS,
    CAME_OF,
    FOLLOW_UP_SHARE,
    RATING_SHARE,
    WORTH_IT,
    round_seed,
)
from bot.demo.signups import COFFEE, MENTORING
from bot.demo.stage import SPEEDUP, DemoError
from bot.demo.teams_signups import create_programs, sign_everyone_up
from bot.demo.teams_stage import TeamsStage, teams_stage
from bot.demo.teams_world import TENANT_ID, aad_id, card_lines
from bot.services.checkins import CHECKIN_KINDS, queue_checkins
from bot.services.impact import program_impact
from bot.services.reports import program_history, program_stats
from bot.services.rounds import form_round
from bot.teams.simulator.tenant import Posted
from storage.db import redacted_or_raw

PROGRAMS = (COFFEE, MENTORING)
CONCURRENT = 4
Clicked = list[tuple[str, Posted]]


async def run(args: argparse.Namespace, *, people: int, rounds: int, seed: int) -> None:
    console = Console()
    company = make_people(people, seed=seed)
    async with teams_stage(company, database_url=args.database_url, speedup=SPEEDUP) as here:
        _intro(here, console)
        mentors, mentees = await _arrive(here, console)
        clicked: Clicked = []
        tz = here.lead.time_zone
        local = here.clock().astimezone(zone(tz))
        monday = local.replace(hour=ROUND_HOUR, minute=0, second=0, microsecond=0)
        monday += timedelta(days=(7 - local.weekday()) % 7 or 7)
        for number in range(1, rounds + 1):
            here.clock.jump_to(monday + timedelta(weeks=number - 1))
            console.heading(f"{number + 3}. Round {number}, {day(here.clock(), tz)}")
            for program in PROGRAMS:
                await _round(here, console, program, number, seed)
            here.clock.advance(days=3)
            console.line(f"   {day(here.clock(), tz)}: “did you meet?”")
            clicked = []
            for program in PROGRAMS:
                clicked += await _check_in(here, console, program, seed)
        await _show(here, console, clicked)
        await _numbers(here, console, mentors * mentees)
        console.heading(
            f"Done in {console.elapsed():.1f} s (seed {seed}; --seed changes everything)."
        )
        history = f"mentorbot history {COFFEE} --workspace {TENANT_ID}"
        if args.database_url:
            console.line(f"The database is kept: DATABASE_URL='{args.database_url}' {history}")
        else:
            console.line("To keep the data: --database-url sqlite:///demo.db, and afterwards")
            console.line(f"  DATABASE_URL=sqlite:///demo.db {history}")


def _intro(here: TeamsStage, console: Console) -> None:
    zones = len({p.time_zone for p in here.people})
    where = (
        f"in {here.folder}, removed at the end"
        if str(here.folder) in here.database_url
        else redacted_or_raw(here.database_url)
    )
    console.lines(
        [
            f"mentorbot demo: {COMPANY}, {len(here.people)} people across {zones} time zones, "
            "on a simulated Microsoft Teams tenant",
            f"   web app             {here.app_url}  (the real app; database {where})",
            f"   simulated Microsoft {here.simulator.base_url}  (Bot Connector, Graph, "
            "signing keys; loopback only)",
            f"   Teams' rate-limit windows shortened ×{SPEEDUP:g}; the clock jumps a week "
            "between rounds",
        ]
    )


async def _arrive(here: TeamsStage, console: Console) -> tuple[int, int]:
    lead, driver = here.lead, here.driver
    console.heading(f"1. {lead.real_name} ({lead.title}, a Teams admin) adds mentorbot")
    await driver.install(aad_id(lead))
    home = [m for m in driver.inbox(aad_id(lead)) if (m.card or {}).get("refresh")]
    console.line(f"   ✓ a welcome and {'the home card' if home else 'no home card (!)'}")
    console.heading("2. … and creates two programs: “program”, and the program form")
    for name in await create_programs(here):
        console.line(f"   ✓ {name}")
    console.heading("3. People sign up: “signup”, and the signup form")
    signed = await sign_everyone_up(
        here, lambda done, total: console.progress("submitting forms", done, total)
    )
    console.line(
        f"   ✓ {signed.coffee} in coffee, {signed.mentors + signed.mentees} in mentoring "
        f"({count(signed.mentors, 'mentor')}, {count(signed.mentees, 'mentee')}): "
        f"{signed.modals} forms submitted"
    )
    return signed.mentors, signed.mentees


async def _round(here: TeamsStage, console: Console, program: str, number: int, seed: int) -> None:
    formed = await form_round(here.scope, program, seed=round_seed(seed, program, number))
    delivered = await here.core.deliveries.deliver_round(here.workspace, formed.round.id)
    if not delivered.delivered:
        raise DemoError(f"round {formed.round.number} of {program} was not fully delivered")
    async with here.scope.unit(read_only=True) as uow:
        stored = await uow.rounds.get(formed.round.id)
        record = await uow.programs.by_name(program)
    assert stored is not None and record is not None
    chats = len(here.tenant.group_chats())
    console.line(
        f"   {formed.summary()} {delivered.sent} messages delivered ({chats} group chats so far)."
    )
    console.lines(report.round_lines(record, stored), indent="     ")


async def _check_in(here: TeamsStage, console: Console, program: str, seed: int) -> Clicked:
    queued = await queue_checkins(here.scope, program)
    done = await here.core.deliveries.deliver_round(
        here.workspace, queued.round.id, kinds=CHECKIN_KINDS
    )
    if not done.delivered:
        raise DemoError(f"the check-ins of {program} were not all delivered")
    rng = random.Random(f"{seed}:teams:{program}:{queued.round.number}")
    choices, weights = zip(*ANSWERS, strict=True)
    clicks: list[tuple[str, str, Posted]] = []
    follow_ups: dict[int, list[tuple[str, str]]] = {}  # card → (person, button), in order
    options, option_weights = zip(*CAME_OF, strict=True)
    ratings, rating_weights = zip(*WORTH_IT, strict=True)
    for group in sorted(queued.round.groups, key=lambda g: g.position):
        answer = rng.choices(choices, weights)[0]
        card = _posted(here, group.conversation_id or "", keys.checkin(queued.round.id, group.id))
        person = rng.choice(group.user_ids)
        if answer is not None and card is not None:
            clicks.append((person, answer, card))
            if answer == buttons.MET:  # what came of it: one tap each, if they like
                taps = follow_ups.setdefault(id(card), [])
                for member in group.user_ids:
                    if rng.random() < FOLLOW_UP_SHARE:
                        taps.append((member, rng.choices(options, option_weights)[0]))
                        if rng.random() < RATING_SHARE:
                            taps.append((member, rng.choices(ratings, rating_weights)[0]))
    gate = asyncio.Semaphore(CONCURRENT)
    answered = 0

    async def click(person: str, answer: str, card: Posted) -> None:
        nonlocal answered
        async with gate:
            reply = await here.driver.click(person, card, answer)
            if reply.card is None:
                raise DemoError(f"a check-in click was refused: {reply.body}")
            seen = reply.card
            for member, tap in follow_ups.get(id(card), []):
                tapped = await here.driver.click(member, card, tap, seen=seen)
                if tapped.card is None:
                    raise DemoError(f"a follow-up click was refused: {tapped.body}")
                seen = tapped.card
            answered += len({m for m, _ in follow_ups.get(id(card), [])})

    await asyncio.gather(*(click(*c) for c in clicks))
    tally = Counter(answer for _, answer, _ in clicks)
    asked = queued.checkins
    console.line(
        f"     {program}: {asked} asked · {tally[buttons.MET]} met · "
        f"{tally[buttons.COULD_NOT]} couldn't make it · {tally[buttons.NOT_YET]} not yet · "
        f"{asked - sum(tally.values())} no answer · {answered} said what came of it"
    )
    return [(answer, card) for _, answer, card in clicks]


def _posted(here: TeamsStage, conversation: str, key: str) -> Posted | None:
    chat = here.tenant.conversation(conversation)
    return next((m for m in chat.from_bot() if m.key == key), None) if chat else None


async def _show(here: TeamsStage, console: Console, clicked: Clicked) -> None:
    ordered = sorted(clicked, key=lambda c: c[0] != buttons.MET)  # a "we met" first
    checkin = ordered[0][1] if ordered else None
    chats = here.tenant.group_chats()
    chat = next((c for c in chats if any(m is checkin for m in c.messages)), None)
    chat = chat or (chats[0] if chats else None)
    if chat is None:
        return
    intro = next((m for m in chat.from_bot() if (m.key or "").endswith(":intro")), None)
    if intro is not None:
        console.heading(
            f"An introduction, as its group reads it in their Teams chat “{chat.topic}”:"
        )
        console.lines(card_lines(intro.card), "   ")
    if checkin is not None:
        console.heading("Three days later, after one of them answered (redrawn in place):")
        console.lines(card_lines(checkin.card), "   ")


async def _numbers(here: TeamsStage, console: Console, pairs: int) -> None:
    console.heading("Repeat-free rounds so far")
    for program in PROGRAMS:
        found = report.repeat_free(await program_history(here.scope, program))
        lines = (
            report.coffee_repeat_lines(program, found, members=len(here.people))
            if program == COFFEE
            else report.mentorship_repeat_lines(program, found, pairs=pairs)
        )
        console.lines(lines, "   ")
    console.heading("Headline numbers (what “stats” and the home card show leads)")
    names = {aad_id(p): p.real_name for p in here.people}
    teams = len({p.team for p in here.people})
    for program in PROGRAMS:
        stats = await program_stats(here.scope, program)
        console.lines(report.headline_lines(stats, names, teams), indent="   ")
    console.heading("Impact (“mentorbot impact coffee”, and the dashboard's Impact report)")
    console.lines(impact_lines(await program_impact(here.scope, COFFEE), teams), "   ")
    lead = aad_id(here.lead)
    await here.driver.say(lead, f"stats {COFFEE}")
    console.heading(f"{here.lead.real_name} types “stats coffee” to mentorbot and reads:")
    console.lines(card_lines(here.driver.last(lead).card), "   ")
