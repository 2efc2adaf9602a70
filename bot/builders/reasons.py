"""Why people were matched, in words, from the reasons the engine stored on the group."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.builders.text import listing, minutes_of_day
from pairing.models import MINUTES_PER_DAY, Reason, ReasonKind
from storage.convert import utc_offset_minutes


def describe(reason: Reason, *, time_zone: str, at: datetime) -> str | None:
    """One sentence for ``reason``, with times shown in the reader's ``time_zone``."""
    kind = reason.kind
    if kind is ReasonKind.SHARED_INTERESTS and reason.items:
        return f"You share an interest in {listing(reason.items)}."
    if kind is ReasonKind.CROSS_TEAM:
        teams = f" ({listing(reason.items)})" if reason.items else ""
        return f"You work in different teams{teams} — a new connection across the company."
    if kind is ReasonKind.OVERLAPPING_HOURS:
        return f"Your working hours overlap{_window(reason, time_zone, at)}."
    if kind is ReasonKind.NO_OVERLAP:
        return "Your working hours don't overlap, so pick a time that suits you both."
    if kind is ReasonKind.SKILLS_FOR_GOALS and reason.items:
        return f"The mentor's skills match the goals: {listing(reason.items)}."
    if kind is ReasonKind.SENIORITY:
        return "The mentor brings more years of experience."
    if kind is ReasonKind.MISSED_LAST_TIME:
        return "You couldn't meet last time, so here is another chance."
    if kind is ReasonKind.REPEAT:
        return "You have been matched before: nobody new was available this time."
    return None


def describe_all(reasons: Sequence[Reason], *, time_zone: str, at: datetime) -> list[str]:
    return [text for r in reasons if (text := describe(r, time_zone=time_zone, at=at))]


def _window(reason: Reason, time_zone: str, at: datetime) -> str:
    hours = f" for {_duration(reason.minutes)}" if reason.minutes else ""
    if reason.window is None:
        return hours
    offset = utc_offset_minutes(time_zone, at)
    start, end = ((m + offset) % MINUTES_PER_DAY for m in reason.window)
    return f"{hours} ({minutes_of_day(start)}–{minutes_of_day(end)} your time)"


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")
