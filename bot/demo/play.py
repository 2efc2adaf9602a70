"""The demo from start to finish: programs, sign-ups, rounds and check-ins, then what
people read and what the lead learns. Each step goes through the real product."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.builders import checkin as buttons
from bot.builders.lead_reports import signed
from bot.builders.text import count, day, zone
from bot.delivery import keys
from bot.demo import report, terminal
from bot.demo.company import COMPANY
from bot.demo.console import Console
from bot.demo.rounds import CheckinTally, Delivered, check_in, posted, run_round
from bot.demo.signups import COFFEE, MENTORING, create_programs, sign_everyone_up
from bot.demo.stage import DATABASE_FILE, Stage
from bot.impact import ImpactReport
from bot.services.impact import program_impact
from bot.services.reports import program_history, program_stats
from storage.db import redacted_or_raw

PROGRAMS = (COFFEE, MENTORING)
ROUND_HOUR = 9  # rounds go out on Monday mornings, in the lead's time zone
CHECKIN_DAYS = 3


@dataclass
class Played:
    last: dict[str, Delivered]  # each program's latest round
    checkins: dict[str, CheckinTally]  # each program's latest check-in tally
    mentors: int = 0
    mentees: int = 0


async def play(stage: Stage, console: Console, *, rounds: int, seed: int) -> Played:
    lead = stage.lead
    console.heading(f"1. {lead.real_name} ({lead.title}, a workspace admin) creates two programs")
    console.line("   with /mentor program and the program form:")
    for name in await create_programs(stage):
        console.line(f"   ✓ {name}")

    console.heading("2. People sign up with /mentor signup and the signup form")
    signed = await sign_everyone_up(stage, _bar(console, "submitting forms"))
    console.line(
        f"   ✓ {signed.coffee} in coffee, {signed.mentors + signed.mentees} in mentoring "
        f"({count(signed.mentors, 'mentor')}, {count(signed.mentees, 'mentee')}): "
        f"{signed.modals} forms submitted"
    )
    played = Played(last={}, checkins={}, mentors=signed.mentors, mentees=signed.mentees)
    tz = lead.time_zone
    monday = _next_monday(stage.clock(), tz)
    for number in range(1, rounds + 1):
        stage.clock.jump_to(monday + timedelta(weeks=number - 1))
        console.heading(f"{number + 2}. Round {number}, {day(stage.clock(), tz)}")
        for program in PROGRAMS:
            delivered = await run_round(
                stage, program, number, seed, _bar(console, f"{program}: delivering")
            )
            played.last[program] = delivered
            sent = delivered.report.sent
            console.line(f"   {delivered.formed.summary()} {sent} messages delivered.")
            console.lines(
                report.round_lines(delivered.formed.program, delivered.round), indent="     "
            )
        stage.clock.advance(days=CHECKIN_DAYS)
        console.line(f"   {day(stage.clock(), tz)}: “did you meet?”")
        for program in (COFFEE,):  # mentorships check in every two weeks (the term, below)
            tally = await check_in(stage, program, seed, _bar(console, f"{program}: clicking"))
            played.checkins[program] = tally
            console.line(f"     {program}: {_tally(tally)}")
    return played


async def show_messages(stage: Stage, console: Console, played: Played) -> None:
    """One introduction and its check-in, read back from the simulated Slack."""
    coffee = played.last[COFFEE]
    clicks = [c for c in played.checkins[COFFEE].clicks if c.action_id == buttons.MET]
    if not clicks:
        return
    lead = stage.lead.user_id
    click = max(clicks, key=lambda c: (lead not in c.group.user_ids, len(c.group.reasons)))
    reader = next(m.person for m in click.group.members if m.person.user_id != click.user_id)
    intro = posted(stage, click.group, keys.intro(coffee.round.id, click.group.id))
    if intro is not None:
        console.heading(
            f"The introduction of round {coffee.round.number}, as {reader.real_name} "
            "reads it in Slack:"
        )
        console.lines(terminal.message_lines(intro.blocks, intro.text, stage.names), "   ")
    clicker = stage.names.get(click.user_id, click.user_id)
    console.heading(f"Three days later, after {clicker} clicked “We met” (redrawn in place):")
    message = click.message
    console.lines(terminal.message_lines(message.blocks, message.text, stage.names), "   ")


async def show_numbers(stage: Stage, console: Console, played: Played) -> None:
    console.heading("Repeat-free rounds so far")
    for program in PROGRAMS:
        history = await program_history(stage.scope, program)
        found = report.repeat_free(history)
        lines = (
            report.coffee_repeat_lines(program, found, members=len(stage.people))
            if program == COFFEE
            else report.mentorship_repeat_lines(
                program, found, pairs=played.mentors * played.mentees
            )
        )
        console.lines(lines, indent="   ")
    console.heading("Headline numbers (what /mentor stats and the Home tab show leads)")
    teams = len({p.team for p in stage.people})
    for program in PROGRAMS:
        stats = await program_stats(stage.scope, program)
        console.lines(report.headline_lines(stats, stage.names, teams), indent="   ")
    console.heading("Impact (`mentorbot impact coffee`, and the dashboard's Impact report)")
    console.lines(impact_lines(await program_impact(stage.scope, COFFEE), teams), indent="   ")
    reply = await stage.driver.command(stage.lead.user_id, f"stats {COFFEE}", wait=10.0)
    if reply.responses:
        answer = reply.responses[-1]
        console.heading(f"{stage.lead.real_name} types /mentor stats coffee and reads:")
        console.lines(
            terminal.message_lines(answer.get("blocks") or [], str(answer.get("text", ""))),
            indent="   ",
        )


def impact_lines(found: ImpactReport, teams: int) -> list[str]:
    net = found.network
    company = " → ".join(
        [f"start {signed(net.ei_company_start)}"]
        + [f"{p.round}: {signed(p.ei_company)}" for p in net.trend]
    )
    links = sum(1 for (a, b) in net.team_ties if a != b)
    lines = [
        "E-I index of the company network (−1 all ties inside teams, +1 all across),",
        "from everyone knowing only their team-mates, round by round:",
        f"   {company}",
        f"The program's own ties: {signed(net.ei_index)}; random pairing of the same people "
        f"would give {signed(net.ei_index_random)}",
        f"Teams linked: {links} of {teams * (teams - 1) // 2} pairs of teams; "
        f"{len(net.isolated)} people with no cross-team tie yet; "
        f"median {net.reach_spread.median:g} other teams met"
        if net.reach_spread.median is not None
        else f"Teams linked: {links} of {teams * (teams - 1) // 2} pairs of teams",
    ]
    counts = found.outcome_counts()
    if counts is None:
        lines.append(f"What came of it: {found.outcomes.answers} answers (shown from 5)")
    else:
        shown = " · ".join(f"{k} {v}" for k, v in counts.items())
        lines.append(f"What came of it ({found.outcomes.answers} answers): {shown}")
        if found.outcomes.rating_shown and found.outcomes.mean_rating is not None:
            lines.append(f"Worth it? {found.outcomes.mean_rating:.1f} of 5 on average")
    return lines


def intro_line(stage: Stage, speedup: float) -> list[str]:
    zones = len({p.time_zone for p in stage.people})
    where = (
        f"in {stage.folder}, removed at the end"
        if stage.database_url.endswith(str(stage.folder / DATABASE_FILE))
        else redacted_or_raw(stage.database_url)
    )
    teams = len({p.team for p in stage.people})
    return [
        f"mentorbot demo: {COMPANY}, {len(stage.people)} people in {teams} teams "
        f"across {zones} time zones, on a simulated Slack workspace",
        f"   web app          {stage.app_url}  (the real app; database {where})",
        f"   simulated Slack  {stage.simulator.api_url}  (loopback only)",
        f"   simulated workspace: rate-limit windows shortened ×{speedup:g}; the clock jumps "
        "a week between rounds",
    ]


def _tally(tally: CheckinTally) -> str:
    text = (
        f"{tally.asked} asked · {tally.count(buttons.MET)} met · "
        f"{tally.count(buttons.COULD_NOT)} couldn't make it · "
        f"{tally.count(buttons.NOT_YET)} not yet · {tally.silent} no answer"
    )
    if tally.follow_ups:
        text += f" · {tally.follow_ups} said what came of it"
    if tally.pause_questions:
        text += f" · {tally.pause_questions} asked whether to pause"
    return text


def _bar(console: Console, label: str) -> Callable[[int, int], None]:
    return lambda done, total: console.progress(label, done, total)


def _next_monday(now: datetime, time_zone: str) -> datetime:
    local = now.astimezone(zone(time_zone))
    start = local.replace(hour=ROUND_HOUR, minute=0, second=0, microsecond=0)
    start += timedelta(days=(7 - local.weekday()) % 7 or 7)
    return start
