"""The introduction a group reads in its own conversation: who is who, why them, an
icebreaker and times that suit everyone. Times are shown in each member's own zone."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime

from bot.builders.icebreakers import icebreaker
from bot.builders.meeting_times import suggested_times
from bot.builders.text import listing, minutes_of_day, quote, zone
from bot.messages import Context, Divider, Header, Message, Section
from pairing.models import MINUTES_PER_DAY, ProgramKind, Reason, ReasonKind, Role
from storage.convert import utc_offset_minutes
from storage.records import EnrollmentRecord, PersonRecord, ProgramRecord


def introduction(
    *,
    program: ProgramRecord,
    round_number: int,
    members: Sequence[EnrollmentRecord],
    reasons: Sequence[Reason],
    seed: int,
    position: int,
    day: datetime,
) -> Message:
    """``members`` in the group's order (the mentor first in a mentorship match)."""
    people = [m.person for m in members]
    names = [name(p) for p in people]
    mentorship = program.kind is ProgramKind.MENTORSHIP
    title = "🌱 Meet your mentorship match" if mentorship else "☕ Meet your coffee match"
    blocks: list[Header | Section | Context | Divider] = [
        Header(title),
        Section(
            f"Hi {joined(names)}! You're matched in round {round_number} of "
            f"*{quote(program.name, 80)}*. Here's who is who:"
        ),
    ]
    blocks += [Section(who(member, mentorship=mentorship)) for member in members]
    why = _why(reasons, members, day)
    if why:
        blocks.append(Section("*Why you were matched*\n" + "\n".join(f"• {w}" for w in why)))
    blocks.append(Section(f"*Icebreaker:* {icebreaker(seed, position)}"))
    blocks.append(Section(_times(people, reasons, day, seed, position)))
    blocks.append(Divider())
    blocks.append(
        Context(
            (
                "Reply here to pick a time. In a few days I'll ask whether you met.",
                f"Round {round_number} · seed {seed}",
            )
        )
    )
    return Message(text=f"{title}: {joined(names)}", blocks=tuple(blocks))


def joined(quoted: Sequence[str]) -> str:
    """``a, b and c`` of texts that are quoted already."""
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def name(person: PersonRecord) -> str:
    return quote(person.real_name or person.display_name, 80)


def who(member: EnrollmentRecord, *, mentorship: bool) -> str:
    person = member.person
    parts = [f"*{name(person)}*"]
    if mentorship and member.role is not Role.PEER:
        parts.append(f"_{member.role.value}_")
    where = " · ".join(quote(p, 80) for p in (person.title, person.team or person.department) if p)
    if where:
        parts.append(where)
    line = " — ".join(parts)
    details: list[str] = []
    if member.role is Role.MENTOR and member.skills:
        details.append(f"can help with {listing(member.skills)}")
    if member.role is Role.MENTEE and member.goals:
        details.append(f"wants to grow in {listing(member.goals)}")
    if member.interests:
        details.append(f"into {listing(member.interests)}")
    return line + ("\n" + "; ".join(details) if details else "")


def _why(
    reasons: Sequence[Reason], members: Sequence[EnrollmentRecord], day: datetime
) -> list[str]:
    lines: list[str] = []
    for reason in reasons:
        kind = reason.kind
        if kind is ReasonKind.SHARED_INTERESTS and reason.items:
            lines.append(f"You share an interest in {listing(reason.items)}.")
        elif kind is ReasonKind.CROSS_TEAM:
            teams = f" ({listing(reason.items)})" if reason.items else ""
            lines.append(f"You work in different teams{teams}: a new link across the company.")
        elif kind is ReasonKind.SKILLS_FOR_GOALS and reason.items:
            lines.append(f"The mentor's skills meet the mentee's goals: {listing(reason.items)}.")
        elif kind is ReasonKind.SENIORITY:
            lines.append("The mentor brings more years of experience.")
        elif kind is ReasonKind.OVERLAPPING_HOURS:
            lines.append(_overlap(reason, [m.person for m in members], day))
        elif kind is ReasonKind.NO_OVERLAP:
            lines.append("Your working hours don't overlap, so an async chat may work best.")
        elif kind is ReasonKind.MISSED_LAST_TIME:
            lines.append("You couldn't meet last time, so here's another chance.")
        elif kind is ReasonKind.REPEAT:
            lines.append("You've been matched before: nobody new was free this time.")
    return lines


def _overlap(reason: Reason, people: Sequence[PersonRecord], day: datetime) -> str:
    hours, rest = divmod(reason.minutes, 60)
    length = f"{hours} h" + (f" {rest} min" if rest else "") if hours else f"{rest} min"
    if reason.window is None:
        return f"Your working hours overlap for {length} a day."
    local = []
    for person in people:
        offset = utc_offset_minutes(person.time_zone, day)
        start, end = ((m + offset) % MINUTES_PER_DAY for m in reason.window)
        local.append(f"{minutes_of_day(start)}–{minutes_of_day(end)} for {name(person)}")
    return f"Your working hours overlap for {length} a day: {', '.join(local)}."


def _times(
    people: Sequence[PersonRecord],
    reasons: Sequence[Reason],
    day: datetime,
    seed: int,
    position: int,
) -> str:
    window = next((r.window for r in reasons if r.kind is ReasonKind.OVERLAPPING_HOURS), None)
    rng = random.Random(f"times:{seed}:{position}")
    times = suggested_times(people, window, after=day, rng=rng)
    if not times:
        return (
            "*Suggested times:* your working days barely meet, so find a time that works "
            "for you all, or start with a few messages here."
        )
    lines = ["• " + _for_everyone(moment, people) for moment in times]
    return "*Suggested times* (30 min, inside everyone's working hours):\n" + "\n".join(lines)


def _for_everyone(moment: datetime, people: Sequence[PersonRecord]) -> str:
    """``Tue 1 Dec 15:00 for Ada and Alan · 10:00 for Grace`` (same local time merged)."""
    by_time: dict[str, list[str]] = {}
    for person in people:
        by_time.setdefault(_local(moment, person), []).append(name(person))
    parts = [f"{when} for {joined(names)}" for when, names in by_time.items()]
    return " · ".join(parts)


def _local(moment: datetime, person: PersonRecord) -> str:
    local = moment.astimezone(zone(person.time_zone))
    return f"{local:%a} {local.day} {local:%b} {local:%H:%M}"
