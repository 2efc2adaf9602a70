"""The introduction a group reads in its own conversation: who is who, why them, an
icebreaker and times that suit everyone. Times are shown in each member's own zone."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime

from bot.builders.icebreakers import icebreaker
from bot.builders.meeting_times import suggested_times
from bot.builders.reasons import describe_all, name
from bot.builders.text import listing, quote, zone
from bot.kinds import KINDS, Kind
from bot.messages import Context, Divider, Header, Message, Section
from pairing.models import Reason, ReasonKind
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
    kind = KINDS.of(program)
    title = kind.wording.intro_title
    blocks: list[Header | Section | Context | Divider] = [
        Header(title),
        Section(
            f"Hi {joined(names)}! You're matched in round {round_number} of "
            f"*{quote(program.name, 80)}*. Here's who is who:"
        ),
    ]
    blocks += [Section(who(member, kind)) for member in members]
    why = describe_all(reasons, people, day)
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


def who(member: EnrollmentRecord, kind: Kind) -> str:
    """The member's line: name, role (as the kind names it), title and team, what they
    bring (as the kind says) and their interests."""
    person = member.person
    tag, phrases = kind.introduce(member)
    parts = [f"*{name(person)}*"]
    if tag:
        parts.append(f"_{tag}_")
    where = " · ".join(quote(p, 80) for p in (person.title, person.team or person.department) if p)
    if where:
        parts.append(where)
    line = " — ".join(parts)
    details = [f"{p.text} {listing(p.items)}" for p in phrases if p.items]
    if member.interests:
        details.append(f"into {listing(member.interests)}")
    return line + ("\n" + "; ".join(details) if details else "")


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
