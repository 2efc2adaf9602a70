"""Suggested meeting times: inside everyone's working hours, on their working days.

The engine reports the group's longest shared working stretch as a UTC window (minutes
since midnight, ``end`` may pass midnight). A suggestion is a 30-minute slot in that
window on one of the next days, kept only if every member is on a weekday and inside
their own working hours there (checked in their time zone on that very date, so a DST
change between the round and the meeting cannot push it out of anyone's day).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta

from bot.builders.text import zone
from pairing.models import MINUTES_PER_DAY
from storage.records import PersonRecord

MEETING_MINUTES = 30
SLOT_STEP = 30
LOOK_AHEAD_DAYS = 14


def suggested_times(
    people: Sequence[PersonRecord],
    window: tuple[int, int] | None,
    *,
    after: datetime,
    rng: random.Random,
    count: int = 3,
) -> list[datetime]:
    """Up to ``count`` meeting starts (UTC) on the days after ``after``."""
    if window is None or not people:
        return []
    start, end = window
    first = -(-start // SLOT_STEP) * SLOT_STEP
    slots = list(range(first, end - MEETING_MINUTES + 1, SLOT_STEP))
    if not slots:
        return []
    minute = rng.choice(slots)
    found: list[datetime] = []
    midnight = datetime.combine(after.astimezone(UTC).date(), time(0), UTC)
    for days in range(1, LOOK_AHEAD_DAYS + 1):
        moment = midnight + timedelta(days=days, minutes=minute)
        if all(_fits(person, moment) for person in people):
            found.append(moment)
            if len(found) == count:
                break
    return found


def _fits(person: PersonRecord, moment: datetime) -> bool:
    local = moment.astimezone(zone(person.time_zone))
    if local.weekday() >= 5:
        return False
    begin = local.hour * 60 + local.minute
    length = (person.work_end - person.work_start) % MINUTES_PER_DAY or MINUTES_PER_DAY
    into_day = (begin - person.work_start) % MINUTES_PER_DAY
    return into_day + MEETING_MINUTES <= length
