"""Schedules: the phrases leads write, read in the program's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.schedule import ScheduleError, parse_schedule

BERLIN = ZoneInfo("Europe/Berlin")
WEDNESDAY = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        ("every monday at 09:00", "2026-11-30 09:00", "2026-12-07 09:00"),
        ("Every Monday at 9am", "2026-11-30 09:00", "2026-12-07 09:00"),
        ("every other week on tuesday at 10:00", "2026-12-01 10:00", "2026-12-15 10:00"),
        ("every other tuesday at 10:00", "2026-12-01 10:00", "2026-12-15 10:00"),
        ("every 3 weeks on friday at 16:00", "2026-12-11 16:00", "2027-01-01 16:00"),
        ("first monday of the month at 10:00", "2026-12-07 10:00", "2027-01-04 10:00"),
        ("last friday of every month at 4pm", "2026-11-27 16:00", "2026-12-25 16:00"),
        ("every weekday at 9:30", "2026-11-26 09:30", "2026-11-27 09:30"),
        ("every day at 08:00", "2026-11-26 08:00", "2026-11-27 08:00"),
        ("0 9 * * 1", "2026-11-30 09:00", "2026-12-07 09:00"),
        ("0 9 * * 0", "2026-11-29 09:00", "2026-12-06 09:00"),
        ("0 9 * * 7", "2026-11-29 09:00", "2026-12-06 09:00"),
        ("0 9 * * */2", "2026-11-26 09:00", "2026-11-28 09:00"),  # Sun, Tue, Thu, Sat
        ("0 9 * * 0/3", "2026-11-28 09:00", "2026-11-29 09:00"),  # Sun, Wed, Sat
        ("0 9 * * 1-5/2", "2026-11-27 09:00", "2026-11-30 09:00"),  # Mon, Wed, Fri
        ("0 9 * * 5-7", "2026-11-27 09:00", "2026-11-28 09:00"),
        ("0 9 * * mon,fri", "2026-11-27 09:00", "2026-11-30 09:00"),
    ],
)
def test_a_schedule_fires_at_the_expected_local_times(text: str, first: str, second: str) -> None:
    schedule = parse_schedule(text)
    one = schedule.next_after(WEDNESDAY, BERLIN)
    two = schedule.next_after(one, BERLIN)
    assert one.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M") == first
    assert two.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M") == second


def test_nine_oclock_stays_nine_oclock_across_daylight_saving() -> None:
    schedule = parse_schedule("every monday at 09:00")
    before = schedule.next_after(datetime(2026, 10, 13, tzinfo=UTC), BERLIN)
    after = schedule.next_after(datetime(2026, 10, 20, tzinfo=UTC), BERLIN)
    assert before.astimezone(BERLIN).hour == after.astimezone(BERLIN).hour == 9
    assert before.utcoffset() != after.utcoffset()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "sometimes",
        "every monday at 25:00",
        "61 * * * *",
        "every 0 weeks on monday at 9",
        "0 9 * * 8",
        "0 9 * * 1-9",
        "0 9 * * 5-1",
        "0 9 * * */0",
        "0 9 * * 1--2",
    ],
)
def test_an_unreadable_schedule_is_refused_with_a_reason(text: str) -> None:
    with pytest.raises(ScheduleError):
        parse_schedule(text)
