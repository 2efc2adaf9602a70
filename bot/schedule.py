"""Program schedules: human-friendly phrases or cron, turned into APScheduler triggers.

Accepted (case-insensitive):

- ``every monday at 09:00``, ``every weekday at 9:30``, ``every day at 08:00``
- ``every other week on tuesday at 10:00``, ``every 3 weeks on friday at 16:00``
- ``first monday of the month at 10:00`` (``second``, ``third``, ``fourth``, ``last``)
- five-field cron, ``0 9 * * 1`` (standard numbering: 0 and 7 are Sunday)

Every schedule is read in the program's time zone, so 09:00 stays 09:00 across DST.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ORDINALS = {"first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th", "last": "last"}
# Weeks are counted from this Monday, so "every other week" means the same weeks everywhere.
CADENCE_EPOCH = date(2024, 1, 1)

_TIME = r"(?:at\s+)?(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<ampm>am|pm)?"
_DAY = r"(?P<day>mon|tue|wed|thu|fri|sat|sun)[a-z]*?s?"
_PATTERNS = (
    re.compile(rf"every\s+(?P<weeks>other|\d+)\s+weeks?\s+on\s+{_DAY}\s+{_TIME}"),
    re.compile(rf"every\s+(?P<weeks>other)\s+{_DAY}\s+{_TIME}"),
    re.compile(rf"(?:every\s+)?{_DAY}\s+{_TIME}"),
    re.compile(rf"every\s+(?P<span>day|weekday)\s+{_TIME}"),
    re.compile(
        rf"(?:the\s+)?(?P<ordinal>first|second|third|fourth|last)\s+{_DAY}\s+of\s+"
        rf"(?:the|each|every)\s+month\s+{_TIME}"
    ),
)


class ScheduleError(ValueError):
    """The schedule text cannot be understood."""


@dataclass(frozen=True, slots=True)
class Schedule:
    """A parsed schedule: cron fields plus an optional every-N-weeks cadence."""

    text: str
    day_of_week: str = "*"
    day: str = "*"
    hour: int | str = 9
    minute: int | str = 0
    month: str = "*"
    every_weeks: int = 1

    def trigger(self, timezone: tzinfo) -> BaseTrigger:
        cron = CronTrigger(
            month=self.month,
            day=self.day,
            day_of_week=self.day_of_week,
            hour=self.hour,
            minute=self.minute,
            timezone=timezone,
        )
        if self.every_weeks == 1:
            return cron
        return EveryNWeeks(cron, self.every_weeks)

    def next_after(self, moment: datetime, timezone: tzinfo) -> datetime:
        """The first slot strictly after ``moment`` (an aware datetime)."""
        fire: datetime | None = self.trigger(timezone).get_next_fire_time(
            None, moment + timedelta(seconds=1)
        )
        if fire is None:  # pragma: no cover - cron fields above always recur
            raise ScheduleError(f"schedule {self.text!r} never fires")
        return fire


class EveryNWeeks(BaseTrigger):  # type: ignore[misc]
    """A weekly cron trigger that fires only in every n-th week since CADENCE_EPOCH."""

    def __init__(self, cron: CronTrigger, weeks: int) -> None:
        self.cron = cron
        self.weeks = weeks

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        fire: datetime | None = self.cron.get_next_fire_time(previous_fire_time, now)
        while fire is not None and ((fire.date() - CADENCE_EPOCH).days // 7) % self.weeks:
            fire = self.cron.get_next_fire_time(fire, fire + timedelta(days=1))
        return fire

    def __str__(self) -> str:
        return f"every {self.weeks} weeks ({self.cron})"


def parse_schedule(text: str) -> Schedule:
    """Parse a schedule phrase or a five-field cron line; raise ScheduleError if neither."""
    clean = " ".join(text.strip().lower().split())
    if not clean:
        raise ScheduleError("schedule is empty")
    if _looks_like_cron(clean):
        return _parse_cron(text, clean)
    for pattern in _PATTERNS:
        match = pattern.fullmatch(clean)
        if match:
            return _from_match(text, match)
    raise ScheduleError(
        f"cannot read schedule {text!r}; try 'every monday at 09:00', "
        "'every other week on tuesday at 10:00', 'first monday of the month at 10:00' "
        "or a cron line like '0 9 * * 1'"
    )


def _from_match(text: str, match: re.Match[str]) -> Schedule:
    groups = match.groupdict()
    hour, minute = _clock(groups)
    day = groups.get("day")
    if groups.get("ordinal"):
        return Schedule(text, day=f"{ORDINALS[groups['ordinal']]} {day}", hour=hour, minute=minute)
    if groups.get("span") == "day":
        return Schedule(text, hour=hour, minute=minute)
    if groups.get("span") == "weekday":
        return Schedule(text, day_of_week="mon-fri", hour=hour, minute=minute)
    weeks = groups.get("weeks") or "1"
    every = 2 if weeks == "other" else int(weeks)
    if every < 1 or every > 52:
        raise ScheduleError(f"cannot repeat every {every} weeks; use 1 to 52")
    return Schedule(text, day_of_week=str(day), hour=hour, minute=minute, every_weeks=every)


def _clock(groups: dict[str, str | None]) -> tuple[int, int]:
    hour = int(groups["hour"] or 0)
    minute = int(groups["minute"] or 0)
    ampm = groups.get("ampm")
    if ampm:
        if not 1 <= hour <= 12:
            raise ScheduleError(f"{hour}{ampm} is not a time of day")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ScheduleError(f"{hour:02d}:{minute:02d} is not a time of day")
    return hour, minute


def _looks_like_cron(clean: str) -> bool:
    fields = clean.split(" ")
    return (
        len(fields) == 5
        and all(re.fullmatch(r"[0-9*,/\-]+", f) for f in fields[:3])
        and all(re.fullmatch(r"[0-9a-z*,/\-#]+", f) for f in fields[3:])
    )


def _parse_cron(text: str, clean: str) -> Schedule:
    minute, hour, day, month, dow = clean.split(" ")
    schedule = Schedule(
        text, day_of_week=_cron_weekdays(dow), day=day, hour=hour, minute=minute, month=month
    )
    try:
        schedule.trigger(timezone=UTC)
    except ValueError as exc:
        raise ScheduleError(f"cannot read cron line {text!r}: {exc}") from None
    return schedule


def _cron_weekdays(field: str) -> str:
    """A cron day-of-week field (0 and 7 are Sunday) as APScheduler's day names.

    Numbers are expanded into the days they mean, so steps count as cron counts them
    (``*/2`` is Sunday, Tuesday, Thursday, Saturday); names pass through unchanged.
    """
    if field == "*" or re.search("[a-z]", field):
        return field
    days: set[int] = set()
    for item in field.split(","):
        found = re.fullmatch(r"(\*|\d+)(?:-(\d+))?(?:/(\d+))?", item)
        if not found:
            raise ScheduleError(f"cannot read the day of the week {item!r}")
        first, last, step = found.groups()
        if first == "*":
            if last:
                raise ScheduleError(f"cannot read the day of the week {item!r}")
            start, end = 0, 6
        else:
            start = int(first)
            end = int(last) if last else (7 if step else start)
        every = int(step) if step else 1
        if not 0 <= start <= end <= 7 or every < 1:
            raise ScheduleError(f"{item!r} is not a day of the week (0-7, 0 and 7 are Sunday)")
        days.update(range(start, end + 1, every))
    return ",".join(WEEKDAYS[(d - 1) % 7] for d in sorted({(d - 1) % 7 + 1 for d in days}))
