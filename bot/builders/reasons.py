"""Why people were matched, in words, from the reasons the engine stored on the group.

Written once: the introduction, ``/mentor match`` and the demo all explain a match with
these sentences, so a person reads the same explanation wherever they look. Times are
shown in each member's own zone (a group may span several).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.builders.text import listing, minutes_of_day, quote
from pairing.models import MINUTES_PER_DAY, Reason, ReasonKind
from storage.convert import utc_offset_minutes
from storage.records import PersonRecord

_FIXED = {
    ReasonKind.NO_OVERLAP: "Your working hours don't overlap, so an async chat may work best.",
    ReasonKind.SENIORITY: "The mentor brings more years of experience.",
    ReasonKind.MISSED_LAST_TIME: "You couldn't meet last time, so here's another chance.",
    ReasonKind.REPEAT: "You've been matched before: nobody new was free this time.",
}


def describe(reason: Reason, people: Sequence[PersonRecord], day: datetime) -> str | None:
    """One sentence for ``reason`` about the group ``people`` on ``day`` (None: nothing
    worth saying, e.g. shared interests without any named)."""
    kind = reason.kind
    if kind in _FIXED:
        return _FIXED[kind]
    if kind is ReasonKind.SHARED_INTERESTS and reason.items:
        return f"You share an interest in {listing(reason.items)}."
    if kind is ReasonKind.CROSS_TEAM:
        teams = f" ({listing(reason.items)})" if reason.items else ""
        return f"You work in different teams{teams}: a new link across the company."
    if kind is ReasonKind.SKILLS_FOR_GOALS and reason.items:
        return f"The mentor's skills match the goals: {listing(reason.items)}."
    if kind is ReasonKind.OVERLAPPING_HOURS:
        return _overlap(reason, people, day)
    return None


def describe_all(
    reasons: Sequence[Reason], people: Sequence[PersonRecord], day: datetime
) -> list[str]:
    return [text for r in reasons if (text := describe(r, people, day))]


def name(person: PersonRecord) -> str:
    return quote(person.real_name or person.display_name, 80)


def _overlap(reason: Reason, people: Sequence[PersonRecord], day: datetime) -> str:
    length = _duration(reason.minutes)
    if reason.window is None:
        return f"Your working hours overlap for {length} a day."
    local = []
    for person in people:
        offset = utc_offset_minutes(person.time_zone, day)
        start, end = ((m + offset) % MINUTES_PER_DAY for m in reason.window)
        local.append(f"{minutes_of_day(start)}–{minutes_of_day(end)} for {name(person)}")
    return f"Your working hours overlap for {length} a day: {', '.join(local)}."


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")
